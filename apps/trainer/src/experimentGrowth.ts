// `pnpm experiment:growth`: the paper's claim at small scale, on the embedded corpus and this
// machine's CPU (wasm). Writes experiments/growth/ (results.json, README.md, SVG plots).
//  1. scratch: a TokenFormer with 96 key-value tokens (q/k/v/proj) and 384 (FFN), 1,200 steps;
//  2. grown: the same final size reached in three stages of 400 steps, 32/128 -> 64/256 -> 96/384,
//     each stage a new run from the grown checkpoint (exact zero-key growth, AdamW moments kept,
//     a new warmup + cosine per stage, as the official scaling runs);
//  3. the three Pattention normalisations at equal steps (400, the 64/256 model);
//  4. pruning the scratch model to 80 ... 20% of its parameter tokens.
// Compute is the paper's count per trained token, 6N + 12·L·d·T, summed over the steps.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend } from '@tokenformer/node-runtime';
import { growCommand } from './grow.js';
import { PREPARE_FILE, prepare, readPrepared } from './prepare.js';
import { pruneCommand } from './prune.js';
import { readMetrics, svgChart } from './report.js';
import { trainCommand } from './train.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './trainConfig.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const work = args.work ?? 'runs/experiment-growth';
const results = args.out ?? 'experiments/growth';
const stageSteps = Number(args.stageSteps ?? 400);
const d = 64;
const L = 2;
const T = 32;

const base: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  seqLength: T,
  batchSize: 16,
  maxLr: 1.5e-2,
  minLr: 1.5e-3,
  warmupSteps: Math.min(20, Math.floor(stageSteps / 4)),
  validEvery: Math.max(1, Math.floor(stageSteps / 4)),
  validBatches: 16,
  checkpointEvery: 100000,
  keepLast: 1,
};
const model = (n: number, normActivationType = 'l2_norm_gelu') => ({ hiddenSize: d, numLayers: L, numAttentionHeads: 4, qkvSlotNum: n, projSlotNum: n, ffnSlotNum: 4 * n, maxSeqLen: 64, normActivationType }) as TrainConfig['model'];

interface Curve {
  name: string;
  points: { step: number; flops: number; loss: number }[];
}

const flopsPerToken = (params: number) => 6 * params + 12 * L * d * T;

function validations(runDir: string): { step: number; loss: number }[] {
  return readMetrics(runDir)
    .filter((e) => e.type === 'validation')
    .map((e) => ({ step: e.step as number, loss: e.loss as number }));
}

async function train(name: string, config: TrainConfig): Promise<{ runDir: string; params: number; seconds: number }> {
  const runDir = join(work, name);
  const t0 = Date.now();
  const s = await trainCommand({ data: join(work, 'data'), out: runDir, config, backend: 'wasm' });
  return { runDir, params: s.params, seconds: (Date.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  await startBackend('wasm');
  mkdirSync(results, { recursive: true });
  const data = join(work, 'data');
  if (!existsSync(join(data, PREPARE_FILE))) await prepare({ corpus: ['sotu'], out: data, vocabSize: 4096, validFraction: 0.02, seed: 1234, field: 'text', log: (l) => console.error(l) });
  const entropy = readPrepared(data).unigramEntropy;
  const out: Record<string, unknown> = { unigramEntropy: entropy, stageSteps, settings: { ...base, model: undefined } };

  // 1. scratch at the final size
  const scratch = await train('scratch', { ...base, steps: 3 * stageSteps, model: model(96) });
  const scratchCurve: Curve = { name: 'scratch 96/384', points: validations(scratch.runDir).map((v) => ({ ...v, flops: v.step * base.batchSize * T * flopsPerToken(scratch.params) })) };
  out.scratch = { params: scratch.params, seconds: scratch.seconds, curve: scratchCurve.points };

  // 2. grown in three stages
  const grownCurve: Curve = { name: 'grown 32/128 -> 64/256 -> 96/384', points: [] };
  const stages: { size: number; params: number; seconds: number; grownFrom?: { deviation: number } }[] = [];
  let deviation: number | undefined;
  let flops = 0;
  let from = '';
  for (const [i, n] of [32, 64, 96].entries()) {
    if (i > 0) {
      const grownDir = join(work, `grown-${n}`);
      const g = await growCommand({ checkpoint: from, out: grownDir, add: { query: 32, key: 32, value: 32, proj: 32, ffn: 128 }, seed: i });
      deviation = g.deviation.maxAbsLogitDiff;
      from = grownDir;
    }
    const stage = await train(`stage-${n}`, { ...base, steps: stageSteps, model: model(32), ...(from ? { initFrom: from } : {}) });
    for (const v of validations(stage.runDir)) grownCurve.points.push({ step: i * stageSteps + v.step, loss: v.loss, flops: flops + v.step * base.batchSize * T * flopsPerToken(stage.params) });
    flops += stageSteps * base.batchSize * T * flopsPerToken(stage.params);
    stages.push({ size: n, params: stage.params, seconds: stage.seconds, ...(deviation !== undefined ? { grownFrom: { deviation } } : {}) });
    from = stage.runDir;
  }
  out.grown = { stages, curve: grownCurve.points };

  // 3. the three normalisations at equal steps
  const norms: Record<string, number> = {};
  for (const norm of ['l2_norm_gelu', 'gelu_l2_norm', 'softmax']) {
    const r = await train(`norm-${norm}`, { ...base, steps: stageSteps, model: model(64, norm) });
    norms[norm] = validations(r.runDir).at(-1)!.loss;
  }
  out.normalisations = norms;

  // 4. pruning the scratch model
  const pruning: { keep: number; params: number; loss: number }[] = [];
  for (const keep of [1, 0.8, 0.6, 0.4, 0.2]) {
    const p = await pruneCommand({ checkpoint: scratch.runDir, out: join(work, `pruned-${keep}`), data, keep, batches: 16, batchSize: 16, seqLength: T });
    pruning.push({ keep, params: p.paramsAfter, loss: p.lossAfter });
  }
  out.pruning = pruning;

  writeFileSync(join(results, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  const gflop = (c: Curve) => c.points.map((p) => ({ x: Math.round(p.flops / 1e9), y: p.loss }));
  writeFileSync(join(results, 'loss-vs-compute.svg'), svgChart('validation loss vs training compute (GFLOP)', [
    { name: scratchCurve.name, color: '#d62728', points: gflop(scratchCurve) },
    { name: grownCurve.name, color: '#1f77b4', points: gflop(grownCurve) },
  ], 'nats/token'));
  writeFileSync(join(results, 'pruning.svg'), svgChart('validation loss vs parameter tokens kept (%)', [
    { name: 'pruned scratch model', color: '#2ca02c', points: pruning.map((p) => ({ x: Math.round(p.keep * 100), y: p.loss })) },
  ], 'nats/token'));
  const last = (c: Curve) => c.points.at(-1)!;
  const lines = [
    '# Growth at small scale: results',
    '',
    `Written by \`pnpm experiment:growth\` (apps/trainer/src/experimentGrowth.ts) on wasm, SOTU, vocab 4096, d ${d}, ${L} layers, ${base.batchSize}x${T} tokens per step. Unigram entropy ${entropy.toFixed(3)} nats/token.`,
    '',
    '| run | final size (q/k/v/proj, FFN tokens) | parameters | steps | training compute (GFLOP) | final validation loss | wall time (s) |',
    '|---|---|---|---|---|---|---|',
    `| scratch | 96 / 384 | ${scratch.params.toLocaleString('en')} | ${3 * stageSteps} | ${(last(scratchCurve).flops / 1e9).toFixed(0)} | ${last(scratchCurve).loss.toFixed(3)} | ${scratch.seconds.toFixed(0)} |`,
    `| grown in 3 stages | 96 / 384 | ${stages.at(-1)!.params.toLocaleString('en')} | ${3 * stageSteps} | ${(last(grownCurve).flops / 1e9).toFixed(0)} | ${last(grownCurve).loss.toFixed(3)} | ${stages.reduce((t, s) => t + s.seconds, 0).toFixed(0)} |`,
    '',
    '![loss vs compute](loss-vs-compute.svg)',
    '',
    `Normalisations at ${stageSteps} steps (64 / 256 tokens): ${Object.entries(norms).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}.`,
    '',
    '| parameter tokens kept | parameters | validation loss |',
    '|---|---|---|',
    ...pruning.map((p) => `| ${Math.round(p.keep * 100)}% | ${p.params.toLocaleString('en')} | ${p.loss.toFixed(3)} |`),
    '',
    '![pruning](pruning.svg)',
    '',
  ];
  writeFileSync(join(results, 'README.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

await main();
