// The tokenformer command as a user runs it (the built bin; `pnpm test` builds first).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { exportOfficialToFile, saveCheckpoint } from '@tokenformer/model/node';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { IndexedDataset } from '@tokenformer/data/node';
import { afterAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tokenformer-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('tokenformer prepare', () => {
  it('trains a tokenizer on a corpus folder, writes the datasets and the unigram entropy', () => {
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    for (let i = 0; i < 30; i++) writeFileSync(join(corpus, `${i}.txt`), `Document ${i}: the quick brown fox jumps over the lazy dog. `.repeat(5 + (i % 7)));
    const out = join(dir, 'prepared');
    const report = JSON.parse(execFileSync(process.execPath, [cli, 'prepare', '--corpus', corpus, '--out', out, '--vocab', '300', '--valid', '0.1'], { encoding: 'utf8' }));
    expect(report).toMatchObject({ trainedTokenizer: true, vocabSize: 300, eod: 0 });
    expect(report.train.documents + report.valid.documents).toBe(30);
    expect(report.unigramEntropy).toBeGreaterThan(1);
    expect(report.unigramEntropy).toBeLessThan(Math.log(300));
    const ds = IndexedDataset.open(join(out, report.train.prefix));
    expect(ds.numDocuments).toBe(report.train.documents);
    ds.close();
    expect(JSON.parse(readFileSync(join(out, 'prepare.json'), 'utf8')).unigramEntropy).toBe(report.unigramEntropy);
  });

  it('shows help, and exits 2 on a usage error', () => {
    const help = run(['prepare', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--vocab N/);
    expect(run(['prepare']).status).toBe(2);
    const unknown = run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect(run(['prepare', '--out', join(dir, 'x'), '--bogus']).status).toBe(2);
  });
});

describe('tokenformer train', () => {
  const tiny = ['--model.hiddenSize=16', '--model.numLayers=1', '--model.numAttentionHeads=2', '--model.qkvSlotNum=8', '--model.projSlotNum=8', '--model.ffnSlotNum=16', '--model.maxSeqLen=64'];
  const settings = ['--steps=6', '--warmupSteps=1', '--seqLength=16', '--batchSize=2', '--validEvery=3', '--checkpointEvery=3', '--validBatches=2', '--backend=wasm'];

  it('trains, checkpoints, writes metrics and the report, then resumes instead of starting over', () => {
    const runDir = join(dir, 'run');
    const first = run(['train', '--data', join(dir, 'prepared'), '--out', runDir, ...tiny, ...settings]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/backend: wasm \(our matMul, (relaxed|plain) SIMD\); [\d,]+ parameters; a new run/);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ steps: 6, backend: 'wasm', resumedFrom: null });
    expect(summary.lastValidationLoss).toBeLessThan(summary.firstValidationLoss);
    expect(summary.unigramEntropy).toBeGreaterThan(1);
    const report = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(report).toMatch(/\| unigram entropy of the training split \| \d+\.\d{4} nats\/token \|/);
    expect(readFileSync(join(runDir, 'loss.svg'), 'utf8')).toMatch(/^<svg .*<polyline/s);
    expect(readFileSync(join(runDir, 'checkpoints', '6', 'tokenizer.json'), 'utf8')).toBe(readFileSync(join(dir, 'prepared', 'tokenizer.json'), 'utf8'));
    const again = run(['train', '--data', join(dir, 'prepared'), '--out', runDir, ...tiny, ...settings]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming from .*checkpoints\/6 \(step 6\)/);
    const gen = run(['generate', '--checkpoint', runDir, '--prompt', 'the', '--max-new-tokens', '4', '--backend', 'cpu']);
    expect(gen.status, gen.stderr).toBe(0);
  });

  it('rejects unknown settings and bad values, naming them', () => {
    const unknown = run(['train', '--data', join(dir, 'prepared'), '--out', join(dir, 'bad'), '--stepz=3']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--stepz: unknown key "stepz"/);
    const typed = run(['train', '--data', join(dir, 'prepared'), '--out', join(dir, 'bad'), '--steps=many']);
    expect(typed.status).toBe(2);
    expect(typed.stderr).toMatch(/steps = "many" should be a number/);
    const model = run(['train', '--data', join(dir, 'prepared'), '--out', join(dir, 'bad'), '--model.width=3']);
    expect(model.stderr).toMatch(/unknown model key "width"/);
  });
});

describe('tokenformer demo (the main job, in a short form)', () => {
  it('prepares the embedded corpus, trains, samples, reports and prints the summary', () => {
    const out = join(dir, 'demo');
    const tiny = ['--model.hiddenSize=16', '--model.numLayers=1', '--model.numAttentionHeads=2', '--model.qkvSlotNum=8', '--model.projSlotNum=8', '--model.ffnSlotNum=16', '--model.maxSeqLen=64'];
    const r = run(['demo', '--out', out, '--vocab', '300', '--backend', 'wasm', '--steps=4', '--warmupSteps=1', '--seqLength=16', '--batchSize=2', '--validEvery=2', '--checkpointEvery=2', '--validBatches=2', ...tiny]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1\/5 prepare: the State of the Union corpus, a 300-token BPE/);
    expect(r.stdout).toMatch(/backend +wasm/);
    expect(r.stdout).toMatch(/validation loss +\d+\.\d{3} -> \d+\.\d{3} nats\/token/);
    expect(r.stdout).toMatch(/unigram entropy +\d+\.\d{3} nats\/token \(goal: loss <= \d+\.\d{3}; reached \d+\.\d{3} x\)/);
    expect(readFileSync(join(out, 'run', 'report.md'), 'utf8')).toMatch(/## Sample\n\n```\nThe Congress/);
    expect(r.stdout).toMatch(/grown exactly +[\d,]+ -> [\d,]+ parameters, max \|logit change\| 0\.0e\+0/);
    // the page link: a held-out prompt (8 words) and no stop token, so the page streams a whole paragraph
    const page = JSON.parse(readFileSync(join(out, 'run', 'page.json'), 'utf8'));
    expect(page).toMatchObject({ maxNewTokens: 96, stop: [] });
    expect(page.prompt.split(' ')).toHaveLength(8);
    expect(r.stdout).toContain(`pnpm web  (streams 96 tokens after ${JSON.stringify(page.prompt)}`);
    // the evaluation step: held-out perplexity and the cloze task, in the summary, the report and evaluation.json
    const m = /held-out evaluation +(\d+\.\d{3}) nats\/token, (\d+\.\d{3}) bits\/byte, token perplexity [\d.]+; cloze \((\d+) passages\) accuracy (\d\.\d{3})/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![3])).toBeGreaterThan(50);
    const report = readFileSync(join(out, 'run', 'report.md'), 'utf8');
    expect(report).toMatch(/## Evaluation on the held-out split/);
    expect(report).toMatch(/\| lambada_openai \| 1 \| acc \|/);
    const evaluation = JSON.parse(readFileSync(join(out, 'run', 'eval', 'evaluation.json'), 'utf8'));
    expect(evaluation.heldOutPerplexity.natsPerToken).toBeCloseTo(Number(m![1]), 3);
    expect(evaluation['n-samples'].lambada_openai.effective).toBe(Number(m![3]));
    // the held-out loss is the model's loss on text it never trained on: near the trainer's validation loss
    expect(Math.abs(evaluation.heldOutPerplexity.natsPerToken - Number(/validation loss +\d+\.\d{3} -> (\d+\.\d{3})/.exec(r.stdout)![1]))).toBeLessThan(0.5);
    const again = run(['demo', '--out', out, '--vocab', '300', '--backend', 'wasm', '--steps=4', '--warmupSteps=1', '--seqLength=16', '--batchSize=2', '--validEvery=2', '--checkpointEvery=2', '--validBatches=2', ...tiny]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/1\/5 prepare: reusing/);
  });
});

describe('tokenformer generate', () => {
  it('writes text from a checkpoint with its tokenizer, on the backend asked for', async () => {
    await tf.setBackend('cpu');
    const tokenizerJson = readFileSync(join(dir, 'prepared', 'tokenizer.json'), 'utf8');
    const config = createConfig({ vocabSize: 300, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 64 });
    const model = new TokenFormer(config, { seed: 1 });
    const ckpt = join(dir, 'ckpt');
    await saveCheckpoint(model, ckpt, { extraFiles: { 'tokenizer.json': tokenizerJson } });
    model.dispose();
    const r = run(['generate', '--checkpoint', ckpt, '--prompt', 'the quick', '--max-new-tokens', '8', '--temperature', '0', '--backend', 'wasm']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backend: wasm/);
    expect(r.stdout.startsWith('the quick')).toBe(true);
    execFileSync('zip', ['-qr', 'ckpt.zip', 'ckpt'], { cwd: dir }); // zipped (the web page's download format): the same text
    // greedy: the same text on every backend, from the directory or its zip
    for (const from of [ckpt, join(dir, 'ckpt.zip')]) expect(run(['generate', '--checkpoint', from, '--prompt', 'the quick', '--max-new-tokens', '8', '--temperature', '0', '--backend', 'cpu']).stdout).toBe(r.stdout);
  });

  it('refuses a tokenizer bigger than the model and an unavailable backend, saying why', async () => {
    await tf.setBackend('cpu');
    const small = new TokenFormer(createConfig({ vocabSize: 100, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 64 }), { seed: 1 });
    await saveCheckpoint(small, join(dir, 'small'));
    small.dispose();
    const big = run(['generate', '--checkpoint', join(dir, 'small'), '--tokenizer', join(dir, 'prepared', 'tokenizer.json'), '--backend', 'cpu']);
    expect(big.status).toBe(1);
    expect(big.stderr).toMatch(/the tokenizer has 300 ids, the model only 128/);
    const tfNode = run(['generate', '--checkpoint', join(dir, 'ckpt'), '--backend', 'tensorflow']);
    expect(tfNode.status).toBe(1);
    expect(tfNode.stderr).toMatch(/backend tensorflow is unavailable: @tensorflow\/tfjs-node-gpu: /);
  });
});

describe('tokenformer grow', () => {
  it('grows a run exactly: same greedy text, the AdamW state grown with it, and a zero deviation reported', async () => {
    const runDir = join(dir, 'run');
    const out = join(dir, 'grown');
    const r = run(['grow', '--checkpoint', runDir, '--out', out, '--add-qkv', '4', '--add-ffn', '8', '--seed', '3', '--backend', 'wasm']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.grown).toHaveLength(4); // one layer: query, key, value, ffn
    expect(report.grown[3]).toMatchObject({ layer: 0, slot: 'ffn', from: 16, to: 24, tauBefore: 4, tauAfter: 4 });
    expect(report.deviation.maxAbsLogitDiff).toBeLessThanOrEqual(1e-6);
    expect(report.paramsAfter - report.paramsBefore).toBe(2 * 16 * (3 * 4 + 8));
    const state = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(state.layers[0].ffn).toEqual({ paramTokenNum: 24, tau: 4 });
    const { parseSafetensors } = await import('@tokenformer/model');
    const moments = parseSafetensors(new Uint8Array(readFileSync(join(out, 'optimizer.safetensors'))));
    expect(moments.tensors.get('layers.0.mlp.keyParamTokens.exp_avg')?.shape).toEqual([24, 16]);
    const greedy = (ckpt: string) => run(['generate', '--checkpoint', ckpt, '--prompt', 'the quick', '--max-new-tokens', '8', '--temperature', '0', '--backend', 'wasm']).stdout;
    expect(greedy(out)).toBe(greedy(runDir));
  });

  it('a grown checkpoint trains on from where it was: the first loss is the source loss for exact growth, not for official τ', () => {
    const settings = ['--steps=2', '--warmupSteps=1', '--seqLength=16', '--batchSize=2', '--validEvery=2', '--checkpointEvery=2', '--validBatches=2', '--backend=wasm'];
    const official = run(['grow', '--checkpoint', join(dir, 'run'), '--out', join(dir, 'grown-tau'), '--add-ffn', '16', '--tau', 'official', '--seed', '1', '--backend', 'wasm']);
    expect(official.status, official.stderr).toBe(0);
    const firstLoss = (from: string): number => {
      const out = join(dir, `continued-${from}`);
      const r = run(['train', '--data', join(dir, 'prepared'), '--out', out, `--initFrom=${join(dir, from)}`, ...settings]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/a new run from /);
      const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.type === 'step');
      expect(steps).toHaveLength(2);
      return steps[0].loss;
    };
    const source = firstLoss('run');
    expect(Math.abs(firstLoss('grown') - source)).toBeLessThan(1e-5);
    expect(Math.abs(firstLoss('grown-tau') - source)).toBeGreaterThan(1e-4);
  });

  it('grows inside one train run at --growAt and trains on, in the same process and run directory', () => {
    const tiny = ['--model.hiddenSize=16', '--model.numLayers=1', '--model.numAttentionHeads=2', '--model.qkvSlotNum=8', '--model.projSlotNum=8', '--model.ffnSlotNum=16', '--model.maxSeqLen=64'];
    const out = join(dir, 'grow-in-run');
    const r = run(['train', '--data', join(dir, 'prepared'), '--out', out, ...tiny, '--steps=6', '--warmupSteps=1', '--seqLength=16', '--batchSize=2', '--validEvery=3', '--checkpointEvery=3', '--validBatches=2', '--growAt=3', '--growFfn=8', '--growQkv=2', '--backend=wasm']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/grew after step 3: [\d,]+ -> [\d,]+ parameters/);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 6 });
    const config = JSON.parse(readFileSync(join(out, 'checkpoints', '6', 'config.json'), 'utf8'));
    expect(config.layers[0].ffn).toEqual({ paramTokenNum: 24, tau: 4 });
    expect(config.layers[0].query.paramTokenNum).toBe(10);
    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'growth')).toMatchObject([{ step: 3 }]);
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reports the official τ deviation, and refuses bad requests with exit 2', () => {
    const official = run(['grow', '--checkpoint', join(dir, 'run'), '--out', join(dir, 'grown-official'), '--add-ffn', '16', '--tau', 'official', '--init', 'random', '--seed', '1', '--backend', 'wasm']);
    expect(official.status, official.stderr).toBe(0);
    expect(JSON.parse(official.stdout).deviation.maxAbsLogitDiff).toBeGreaterThan(1e-4);
    const negative = run(['grow', '--checkpoint', join(dir, 'run'), '--out', join(dir, 'x'), '--add-ffn=-1', '--backend', 'wasm']);
    expect(negative.status).toBe(2);
    expect(negative.stderr).toMatch(/add.ffn = -1/);
    const layer = run(['grow', '--checkpoint', join(dir, 'run'), '--out', join(dir, 'x'), '--add-ffn', '1', '--layers', '3', '--backend', 'wasm']);
    expect(layer.status).toBe(2);
    expect(layer.stderr).toMatch(/layer 3 is out of range: the model has layers 0..0/);
    expect(run(['grow', '--help']).stdout).toMatch(/--tau T/);
  });
});

describe('tokenformer prune', () => {
  it('drops the least important tokens to a fraction, writes a checkpoint that generates, and reports the loss', () => {
    const out = join(dir, 'pruned');
    const r = run(['prune', '--checkpoint', join(dir, 'run'), '--out', out, '--data', join(dir, 'prepared'), '--keep', '0.5', '--batches', '2', '--batch-size', '2', '--seq-length', '16', '--backend', 'wasm']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.pruned.map((p: { to: number }) => p.to)).toEqual([4, 4, 4, 4, 8]); // 8 attention tokens, 16 in the FFN, halved
    expect(report.paramsBefore - report.paramsAfter).toBe(2 * 16 * (4 * 4 + 8));
    expect(Number.isFinite(report.lossAfter)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).layers[0].ffn).toMatchObject({ paramTokenNum: 8 });
    const text = run(['generate', '--checkpoint', out, '--prompt', 'the quick', '--max-new-tokens', '4', '--backend', 'wasm']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.startsWith('the quick')).toBe(true);
    const bad = run(['prune', '--checkpoint', join(dir, 'run'), '--out', `${out}-2`, '--data', join(dir, 'prepared'), '--keep', '2', '--batch-size', '2', '--seq-length', '16', '--backend', 'wasm']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/keep = 2: the fraction of tokens to keep must be in \(0, 1\]/);
  });
});

describe('tokenformer import / export (official GPT-NeoX checkpoints)', () => {
  it('an official pytorch_model.bin with the GPT-NeoX-20B tokenizer imports, generates the source model\'s text, and exports back byte for byte', async () => {
    await tf.setBackend('cpu');
    const tokenizerFile = npmAsset(NEOX_20B_TOKENIZER);
    // A 50,277-id vocabulary padded to 50,304 rows, as in the released models; tiny otherwise.
    const config = createConfig({ vocabSize: 50277, hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 16, projSlotNum: 16, ffnSlotNum: 64, maxSeqLen: 64 });
    expect(config.vocabSize).toBe(50304);
    const source = new TokenFormer(config, { seed: 3 });
    const official = join(dir, 'official', 'pytorch_model.bin');
    const neoxArgs = await exportOfficialToFile(source, official, { tokenizerVocabSize: 50277 });
    expect(neoxArgs).toMatchObject({ make_vocab_size_divisible_by: 128, num_layers: 2, qkv_slot_num: 16 });
    const yml = join(dir, 'official', 'eval.yml');
    writeFileSync(yml, `# like configs/tokenformer/150M_eval.yml\n{\n  "num-layers": 2, "hidden_size": 32, "num_attention_heads": 4,\n  "qkv_slot_num": 16, "proj_slot_num": 16, "ffn_slot_num": 64,\n  "seq_length": 64, "max_position_embeddings": 64, "pos_emb": "rotary", "rotary_pct": 0.25,\n  "norm": "layernorm_nonparam", "final_norm": "layernorm", "norm_activation_type": "l2_norm_gelu", # comment\n  "checkpoint_validation_with_forward_pass": False,\n}\n`);

    const imported = join(dir, 'imported');
    const r = run(['import', '--from', official, '--config', yml, '--tokenizer', tokenizerFile, '--out', imported]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/imported 23 tensors \(zip\).*2 layers x 32, 4 heads, vocab 50304, qkv\/proj\/ffn tokens 16\/16\/64/);
    expect(JSON.parse(r.stdout)).toMatchObject({ tensors: 23, format: 'zip', params: source.countParams() });

    const prompt = 'The quick brown fox';
    const tokenizer = loadTokenizer(tokenizerFile);
    const ids = await source.generate(tokenizer.encodeIds(prompt), { maxNewTokens: 8, temperature: 0 });
    source.dispose();
    const g = run(['generate', '--checkpoint', imported, '--prompt', prompt, '--max-new-tokens', '8', '--temperature', '0', '--backend', 'wasm']);
    expect(g.status, g.stderr).toBe(0);
    expect(g.stdout).toBe(`${prompt}${tokenizer.decode(ids)}\n`);

    const exported = join(dir, 'exported', 'pytorch_model.bin');
    const e = run(['export', '--checkpoint', imported, '--out', exported, '--backend', 'cpu']);
    expect(e.status, e.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(exported), readFileSync(official))).toBe(0);
    const args = readFileSync(join(dir, 'exported', 'pytorch_model.neox.yml'), 'utf8');
    expect(args).toMatch(/attention_config: \[ \[ \[ tokenformer \], 2 \] \]/);
    expect(args).toMatch(/make_vocab_size_divisible_by: 128/);
  });

  it('refuses a config that contradicts the tensors, a hostile file, a pinned τ (unless allowed), and missing options', async () => {
    const contradicting = join(dir, 'official', 'wrong.json');
    writeFileSync(contradicting, JSON.stringify({ hidden_size: 64, num_attention_heads: 4 }));
    const bad = run(['import', '--from', join(dir, 'official', 'pytorch_model.bin'), '--config', contradicting, '--out', join(dir, 'never')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/hidden_size = 64 contradicts the tensors/);
    expect(run(['import', '--from', join(dir, 'official', 'pytorch_model.bin')]).status).toBe(2);
    expect(run(['export', '--checkpoint', join(dir, 'imported')]).status).toBe(2);
    const hostile = join(dir, 'official', 'hostile.bin');
    writeFileSync(hostile, Buffer.from('800263706f7369780a73797374656d0a2e', 'hex')); // PROTO 2, GLOBAL posix.system, STOP (legacy layout)
    const h = run(['import', '--from', hostile, '--config', contradicting, '--out', join(dir, 'never')]);
    expect(h.status).toBe(1);
    expect(h.stderr).toMatch(/GLOBAL posix.system is not allowed/);
    await tf.setBackend('cpu');
    const config = createConfig({ vocabSize: 128, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 64 });
    config.layers[0]!.ffn.tau = 5;
    const pinned = new TokenFormer(config, { seed: 1 });
    await saveCheckpoint(pinned, join(dir, 'pinned'));
    pinned.dispose();
    const refused = run(['export', '--checkpoint', join(dir, 'pinned'), '--out', join(dir, 'pinned.bin'), '--backend', 'cpu']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/layers\[0\].ffn.tau is pinned to 5; GPT-NeoX always uses sqrt\(n\)/);
    expect(run(['export', '--checkpoint', join(dir, 'pinned'), '--out', join(dir, 'pinned.bin'), '--allow-tau-change', '--backend', 'cpu']).status).toBe(0);
  });
});
