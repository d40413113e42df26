// Packs every publishable package with pnpm, installs the tarballs into empty folders outside the
// workspace with npm (the registry provides only third-party packages), and imports them there:
// proof that each package works alone, as a user gets it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TFJS = '4.22.0';

export interface PackedPackage {
  name: string;
  tarball: string;
  files: string[];
}

/** pnpm as the running script was started (npx pnpm@... sets npm_execpath), else from PATH. */
const execPath = process.env.npm_execpath ?? '';
const pnpm = /pnpm/.test(execPath) && execPath.endsWith('.cjs') ? [process.execPath, execPath] : ['pnpm'];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `pnpm pack` of every non-private package under packages/, with the files each tarball holds. */
export function packAll(destination: string): PackedPackage[] {
  const packed: PackedPackage[] = [];
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const pkgDir = join(ROOT, 'packages', dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; private?: boolean };
    if (pkg.private) continue;
    const out = run(pnpm[0]!, [...pnpm.slice(1), 'pack', '--pack-destination', destination, '--json'], pkgDir);
    const info = JSON.parse(out) as { filename: string; files: { path: string }[] };
    packed.push({ name: pkg.name, tarball: info.filename, files: info.files.map((f) => f.path).sort() });
  }
  return packed;
}

/** Installs `deps` (tarball paths and registry specs) into a new folder and runs `script` there as ESM. */
export function installAndRun(base: string, label: string, deps: string[], script: string): string {
  const dir = join(base, label);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `pack-check-${label}`, private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...deps], dir);
  writeFileSync(join(dir, 'check.mjs'), script);
  return run('node', ['check.mjs'], dir);
}

const KERNELS_ALONE = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { TRANSPOSE_2D, hasKernel } from '@tokenformer/kernels';
import { registerWasmKernels } from '@tokenformer/kernels/wasm';
const registered = registerWasmKernels();
await tf.setBackend('wasm');
const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [4, 4]);
const xT = tf.engine().runKernel(TRANSPOSE_2D, { x });
console.log(JSON.stringify({ backend: tf.getBackend(), registered: registered.length, has: hasKernel(TRANSPOSE_2D), xT: Array.from(xT.dataSync()) }));
`;

const PATTENTION_ALONE = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { pattention, Pattention } from '@tokenformer/pattention';
await tf.setBackend('cpu');
const layer = new Pattention({ inputChannels: 4, outputChannels: 3, paramTokenNum: 5, seed: 1 });
const y = layer.apply(tf.ones([2, 4]));
const z = pattention(tf.ones([1, 4]), layer.readKeyParamTokens(), layer.valueParamTokens, { normActivationType: 'softmax' });
console.log(JSON.stringify({ shape: y.shape, finite: [...y.dataSync(), ...z.dataSync()].every(Number.isFinite) }));
`;

const MODEL_ALONE = `
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { TokenFormer, preset } from '@tokenformer/model';
import { loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
await tf.setBackend('wasm');
const model = new TokenFormer(preset('tiny'), { seed: 1 });
const loss = model.loss([[1, 2, 3, 4, 5]]);
const dir = join(mkdtempSync(join(tmpdir(), 'pack-ckpt-')), 'ckpt');
await saveCheckpoint(model, dir);
const loaded = await loadCheckpoint(dir);
const ids = await loaded.generate([1, 2, 3], { maxNewTokens: 4, temperature: 0 });
console.log(JSON.stringify({ backend: tf.getBackend(), loss: loss.dataSync()[0], ids }));
`;

const TOKENIZER_ALONE = `
import { BpeTrainer, Tokenizer } from '@tokenformer/tokenizer';
import { saveTokenizer, loadTokenizer } from '@tokenformer/tokenizer/node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
trainer.feed('the quick brown fox jumps over the lazy dog '.repeat(20));
const t = trainer.train();
const file = join(mkdtempSync(join(tmpdir(), 'pack-tok-')), 'tokenizer.json');
saveTokenizer(t, file);
const again = loadTokenizer(file);
const ids = again.encodeIds('the lazy fox<|endoftext|>');
console.log(JSON.stringify({ vocabSize: again.vocabSize(), text: again.decode(ids), same: JSON.stringify(Tokenizer.fromJSON(t.toString()).encodeIds('the lazy fox')) === JSON.stringify(t.encodeIds('the lazy fox')) }));
`;

const DATA_ALONE = `
import { GptSampler, IndexedDataset, preprocess, readSotu } from '@tokenformer/data/node';
import { decodeIndex } from '@tokenformer/data';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const prefix = join(mkdtempSync(join(tmpdir(), 'pack-data-')), 'sotu');
const docs = [];
for await (const d of readSotu()) if (docs.push(d) >= 5) break;
const report = await preprocess(docs, { encode: (t) => Array.from(t.slice(0, 200), (c) => c.charCodeAt(0) % 256), eod: 0, vocabSize: 256, outputPrefix: prefix });
const ds = IndexedDataset.open(report.train.prefix);
const sampler = new GptSampler(ds, { seqLength: 64, batchSize: 2, seed: 1 });
const batch = sampler.next();
const index = decodeIndex(readFileSync(report.train.prefix + '.idx'), 'idx');
console.log(JSON.stringify({ documents: ds.numDocuments, shape: batch.shape, dtype: index.dtype }));
`;

const TRAINER_ALONE = `
import * as tf from '@tensorflow/tfjs';
import { TokenFormer, preset } from '@tokenformer/model';
import { TrainStep, learningRateSchedule } from '@tokenformer/trainer';
import { runTraining } from '@tokenformer/trainer/node';
await tf.setBackend('cpu');
const model = new TokenFormer(preset('tiny'), { seed: 1 });
const step = new TrainStep(model);
const lr = learningRateSchedule({ maxLr: 1e-3, warmupSteps: 1, decaySteps: 10 });
const batch = { data: Int32Array.from({ length: 17 }, (_, i) => i), shape: [1, 17] };
const a = await step.run([batch], lr(1));
const b = await step.run([batch], lr(2));
console.log(JSON.stringify({ steps: step.optimizer.step, falling: b.loss < a.loss, node: typeof runTraining }));
`;

const GROWTH_ALONE = `
import * as tf from '@tensorflow/tfjs';
import { TokenFormer, preset } from '@tokenformer/model';
import { grow, measureDeviation } from '@tokenformer/growth';
await tf.setBackend('cpu');
const config = preset('tiny');
const model = new TokenFormer(config, { seed: 1 });
const weights = model.exportWeights();
const g = grow(config, weights, { add: { ffn: 8 }, seed: 2 });
const dev = await measureDeviation({ config, weights }, g, [[1, 2, 3, 4, 5]]);
console.log(JSON.stringify({ ffn: g.config.layers[0].ffn.paramTokenNum - config.layers[0].ffn.paramTokenNum, maxAbsLogitDiff: dev.maxAbsLogitDiff }));
`;

const EVALUATOR_ALONE = `
import * as tf from '@tensorflow/tfjs';
import { TokenFormer, createConfig } from '@tokenformer/model';
import { BpeTrainer } from '@tokenformer/tokenizer';
import { TASKS, TokenFormerLM, evaluate, parseJsonl } from '@tokenformer/evaluator';
await tf.setBackend('cpu');
const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
trainer.feed('the quick brown fox jumps over the lazy dog '.repeat(20));
const tokenizer = trainer.train();
const model = new TokenFormer(createConfig({ vocabSize: 300, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 32 }), { seed: 1 });
const rows = parseJsonl('{"text": "the quick brown fox"}\\n{"text": "over the lazy dog"}', 'lambada_openai.jsonl');
const r = await evaluate(new TokenFormerLM(model, tokenizer), [{ task: TASKS.get('lambada_openai'), rows }], { bootstrapIters: 100 });
console.log(JSON.stringify({ tasks: TASKS.size, perplexity: r.results.lambada_openai['perplexity,none'] > 1, samples: r['n-samples'].lambada_openai.effective }));
`;

export interface PackReport {
  packages: PackedPackage[];
  kernelsAlone: { backend: string; registered: number; has: boolean; xT: number[] };
  pattentionAlone: { shape: number[]; finite: boolean };
  modelAlone: { backend: string; loss: number; ids: number[] };
  tokenizerAlone: { vocabSize: number; text: string; same: boolean };
  dataAlone: { documents: number; shape: number[]; dtype: string };
  trainerAlone: { steps: number; falling: boolean; node: string };
  growthAlone: { ffn: number; maxAbsLogitDiff: number };
  evaluatorAlone: { tasks: number; perplexity: boolean; samples: number };
}

export function packCheck(): PackReport {
  const base = mkdtempSync(join(tmpdir(), 'tokenformer-pack-'));
  try {
    const packages = packAll(base);
    const tarball = (name: string) => packages.find((p) => p.name === name)!.tarball;
    const kernelsAlone = JSON.parse(
      installAndRun(base, 'kernels', [tarball('@tokenformer/kernels'), `@tensorflow/tfjs-core@${TFJS}`, `@tensorflow/tfjs-backend-wasm@${TFJS}`], KERNELS_ALONE),
    );
    const pattentionAlone = JSON.parse(
      installAndRun(base, 'pattention', [tarball('@tokenformer/pattention'), tarball('@tokenformer/kernels'), `@tensorflow/tfjs-core@${TFJS}`, `@tensorflow/tfjs-backend-cpu@${TFJS}`], PATTENTION_ALONE),
    );
    const modelAlone = JSON.parse(
      installAndRun(
        base,
        'model',
        [tarball('@tokenformer/model'), tarball('@tokenformer/pattention'), tarball('@tokenformer/kernels'), `@tensorflow/tfjs@${TFJS}`, `@tensorflow/tfjs-backend-wasm@${TFJS}`],
        MODEL_ALONE,
      ).trim().split('\n').pop()!,
    );
    const tokenizerAlone = JSON.parse(installAndRun(base, 'tokenizer', [tarball('@tokenformer/tokenizer')], TOKENIZER_ALONE));
    const dataAlone = JSON.parse(installAndRun(base, 'data', [tarball('@tokenformer/data')], DATA_ALONE));
    const trainerAlone = JSON.parse(
      installAndRun(
        base,
        'trainer',
        [tarball('@tokenformer/trainer'), tarball('@tokenformer/model'), tarball('@tokenformer/pattention'), tarball('@tokenformer/data'), tarball('@tokenformer/kernels'), `@tensorflow/tfjs@${TFJS}`],
        TRAINER_ALONE,
      ).trim().split('\n').pop()!,
    );
    const growthAlone = JSON.parse(
      installAndRun(
        base,
        'growth',
        [tarball('@tokenformer/growth'), tarball('@tokenformer/model'), tarball('@tokenformer/pattention'), tarball('@tokenformer/kernels'), `@tensorflow/tfjs@${TFJS}`],
        GROWTH_ALONE,
      ).trim().split('\n').pop()!,
    );
    const evaluatorAlone = JSON.parse(
      installAndRun(
        base,
        'evaluator',
        [tarball('@tokenformer/evaluator'), tarball('@tokenformer/model'), tarball('@tokenformer/pattention'), tarball('@tokenformer/tokenizer'), tarball('@tokenformer/kernels'), `@tensorflow/tfjs@${TFJS}`],
        EVALUATOR_ALONE,
      ).trim().split('\n').pop()!,
    );
    return { packages, kernelsAlone, pattentionAlone, modelAlone, tokenizerAlone, dataAlone, trainerAlone, growthAlone, evaluatorAlone };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(packCheck(), null, 2));
}
