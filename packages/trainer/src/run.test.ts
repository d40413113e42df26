// A run directory: checkpoints with optimizer and trainer state, pointers, pruning, metrics, and a
// run interrupted and resumed ending bit-identical to one that was not (cpu and wasm).
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend, type BackendName } from '@tokenformer/testing';
import { IndexedDatasetWriter } from '@tokenformer/data/node';
import * as tf from '@tensorflow/tfjs-core';
import { preset, type TokenFormerConfig } from '@tokenformer/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainerConfigError } from './errors.js';
import { runTraining, type RunSettings } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = preset('tiny');

function dataset(name: string, docs: number, seed: number): string {
  const w = new IndexedDatasetWriter(join(dir, name), 'uint16');
  let x = seed;
  for (let d = 0; d < docs; d++) {
    const len = 20 + (d * 37) % 90;
    const ids: number[] = [];
    for (let i = 0; i < len; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      ids.push(i === len - 1 ? 0 : 1 + ((x >>> 8) % 40) + (i % 3) * 60); // a little structure to learn
    }
    w.addDocument(ids);
  }
  w.finalize();
  return join(dir, name);
}

let settings: RunSettings;
beforeAll(() => {
  settings = {
    seed: 5,
    trainData: dataset('train', 60, 1),
    validData: dataset('valid', 10, 2),
    seqLength: 16,
    batchSize: 2,
    microBatches: 2,
    steps: 12,
    maxLr: 3e-3,
    minLr: 3e-4,
    warmupSteps: 2,
    schedule: 'cosine',
    weightDecay: 0.1,
    clip: 1,
    beta1: 0.9,
    beta2: 0.95,
    eps: 1e-8,
    validEvery: 4,
    validBatches: 2,
    checkpointEvery: 4,
    keepLast: 2,
    maxNonFiniteSteps: 5,
  };
});

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`runTraining [${backend}]`, () => {
    it('an interrupted and resumed run ends bit-identical to an uninterrupted one', async () => {
      await useBackend(backend);
      const straight = join(dir, `straight-${backend}`);
      const a = await runTraining(straight, config, settings);
      expect(a.lastStep).toBe(12);
      const broken = join(dir, `broken-${backend}`);
      const first = await runTraining(broken, config, settings, { shouldStop: (s) => s === 7 });
      expect(first.lastStep).toBe(7);
      // what a kill -9 during steps 8-9 leaves: their metrics lines (one cut short) and a half-written checkpoint
      appendFileSync(join(broken, 'metrics.jsonl'), '{"type":"step","step":8,"loss":1}\n{"type":"step","step":9,"lo');
      mkdirSync(join(broken, 'checkpoints', '.8.tmp-99999-abcd'));
      let resumedFrom: string | null = null;
      const b = await runTraining(broken, config, settings, { onStart: (i) => (resumedFrom = i.resumedFrom) });
      expect(resumedFrom).toBe(join(broken, 'checkpoints', '7'));
      expect(b.lastStep).toBe(12);
      for (const file of ['model.safetensors', 'optimizer.safetensors']) {
        expect(readFileSync(join(straight, 'checkpoints', '12', file)).equals(readFileSync(join(broken, 'checkpoints', '12', file)))).toBe(true);
      }
      expect(b.lastValidationLoss).toBe(a.lastValidationLoss);
      expect(readdirSync(join(broken, 'checkpoints')).filter((f) => f.startsWith('.'))).toEqual([]);
      const steps = (run: string) => readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'step').map((l) => l.step);
      expect(steps(broken)).toEqual(steps(straight)); // each step once, in order
    });
  });
}

describe('run directory', () => {
  it('keeps the last checkpoints and the best, points at them, and logs metrics', async () => {
    await useBackend('wasm');
    const run = join(dir, 'layout');
    const r = await runTraining(run, config, settings, {}, { 'tokenizer.json': '{"stand-in": true}' });
    expect(readdirSync(join(run, 'checkpoints')).sort()).toEqual(expect.arrayContaining(['12', '8']));
    expect(readdirSync(join(run, 'checkpoints')).length).toBeLessThanOrEqual(3);
    expect(readFileSync(join(run, 'latest'), 'utf8').trim()).toBe(join('checkpoints', '12'));
    const best = readFileSync(join(run, 'best'), 'utf8').trim();
    expect(existsSync(join(run, best, 'trainer_state.json'))).toBe(true);
    const latest = join(run, 'checkpoints', '12');
    for (const f of ['config.json', 'model.safetensors', 'optimizer.safetensors', 'trainer_state.json', 'tokenizer.json']) expect(existsSync(join(latest, f))).toBe(true);
    const state = JSON.parse(readFileSync(join(latest, 'trainer_state.json'), 'utf8'));
    expect(state).toMatchObject({ format: 'tokenformer-trainer/1', step: 12, backend: 'wasm' });
    expect(state.samplerCursor.nextBatch).toBe(24);
    const lines = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step')).toHaveLength(12);
    expect(lines.filter((l) => l.type === 'validation').map((l) => l.step)).toEqual([4, 8, 12]);
    expect(r.lastValidationLoss!).toBeLessThan(r.firstValidationLoss!);
  });

  it('refuses missing data before it creates the run directory', async () => {
    const runDir = join(dir, 'never-made');
    await expect(runTraining(runDir, config, { ...settings, trainData: join(dir, 'nowhere') })).rejects.toThrow(/trainData: .*nowhere\.idx does not exist/);
    expect(existsSync(runDir)).toBe(false);
  });

  it('refuses to resume with settings that change what was trained', async () => {
    await expect(runTraining(join(dir, 'layout'), config, { ...settings, seqLength: 32 })).rejects.toThrow(TrainerConfigError);
    await expect(runTraining(join(dir, 'layout'), config, { ...settings, maxLr: 1 })).rejects.toThrow(/trained with maxLr = 0.003, now 1/);
  });
});

// A growth step inside a run. The hook here is a test double (the real one is @tokenformer/growth's,
// wired in apps/trainer): it appends 4 FFN tokens to every layer, zero keys and fixed values, and
// zero moments for them.
function growFfn(config: TokenFormerConfig, weights: Map<string, tf.Tensor>, moments: Map<string, tf.Tensor>): { config: TokenFormerConfig; weights: Map<string, tf.Tensor>; optimizerState: Map<string, tf.Tensor> } {
  const m = 4;
  const next = structuredClone(config);
  next.layers.forEach((l) => (l.ffn = { paramTokenNum: l.ffn.paramTokenNum + m, tau: Math.sqrt(l.ffn.paramTokenNum) }));
  const isFfn = (name: string) => /^layers\.\d+\.mlp\./.test(name);
  const grown = new Map<string, tf.Tensor>();
  for (const [name, t] of weights) {
    grown.set(name, isFfn(name) ? tf.concat([t, name.endsWith('keyParamTokens') ? tf.zeros([m, t.shape[1]!]) : tf.fill([m, t.shape[1]!], 0.01)]) : t.clone()); // [n + m, d]
  }
  const state = new Map<string, tf.Tensor>();
  for (const [name, t] of moments) state.set(name, isFfn(name) ? tf.concat([t, tf.zeros([m, t.shape[1]!])]) : t.clone()); // [n + m, d]
  return { config: next, weights: grown, optimizerState: state };
}

describe('runTraining with a growth step [cpu]', () => {
  it('grows once at growAt, keeps training, logs it, and resumes bit-identically on either side of it', async () => {
    await useBackend('cpu');
    const grow = { ...settings, growAt: 6 };
    let calls = 0;
    const hooks = { grow: (c: TokenFormerConfig, w: Map<string, tf.Tensor>, m: Map<string, tf.Tensor>) => (calls++, growFfn(c, w, m)) };
    const straight = join(dir, 'grow-straight');
    const a = await runTraining(straight, config, grow, hooks);
    expect(a.lastStep).toBe(12);
    expect(calls).toBe(1);
    const final = JSON.parse(readFileSync(join(straight, 'checkpoints', '12', 'config.json'), 'utf8'));
    expect(final.layers[0].ffn.paramTokenNum).toBe(config.layers[0]!.ffn.paramTokenNum + 4);
    const events = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'growth')).toMatchObject([{ step: 6 }]);
    for (const stopAt of [6, 8]) {
      const broken = join(dir, `grow-broken-${stopAt}`);
      expect((await runTraining(broken, config, grow, { ...hooks, shouldStop: (s) => s === stopAt })).lastStep).toBe(stopAt);
      expect((await runTraining(broken, config, grow, hooks)).lastStep).toBe(12);
      for (const file of ['model.safetensors', 'optimizer.safetensors']) {
        expect(readFileSync(join(straight, 'checkpoints', '12', file)).equals(readFileSync(join(broken, 'checkpoints', '12', file))), `${file}, stopped at ${stopAt}`).toBe(true);
      }
    }
    expect(calls).toBe(3);
  });

  it('re-warms the learning rate after growth when asked, and refuses a growth step it cannot do', async () => {
    await useBackend('cpu');
    const lrs: number[] = [];
    await runTraining(join(dir, 'grow-rewarm'), config, { ...settings, growAt: 6, growSchedule: 'rewarmup' }, { grow: growFfn, onStep: (e) => lrs.push(e.lr) });
    expect(lrs[6]).toBeCloseTo(lrs[0]!, 12); // step 7 = the first warmup step again
    expect(lrs[5]).toBeLessThan(settings.maxLr);
    await expect(runTraining(join(dir, 'grow-bad'), config, { ...settings, growAt: 12 })).rejects.toThrow(/growAt = 12: grow after a step in 1..11/);
    await expect(runTraining(join(dir, 'grow-nohook'), config, { ...settings, growAt: 3 })).rejects.toThrow(/needs a grow hook/);
  });
});
