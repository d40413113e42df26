// A progressive growth schedule inside one run (growAt as a list of steps) and the learning rate of
// the tokens a growth added: the rows it names move at their own rate while every other weight gets
// the bits it would without it, and a run interrupted between growths resumes bit-identically.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grow } from '@tokenformer/growth';
import { tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { IndexedDatasetWriter } from '@tokenformer/data/node';
import { preset, type TokenFormerConfig } from '@tokenformer/model';
import { loadCheckpoint } from '@tokenformer/model/node';
import { afterAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';
import { runTraining, type RunSettings } from './node.js';
import { newTokenLearningRate, runSchedule } from './runGrowth.js';
import { completeRunSettings } from './runSettings.js';

const dir = mkdtempSync(join(tmpdir(), 'run-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = preset('tiny');

function dataset(name: string): string {
  const w = new IndexedDatasetWriter(join(dir, name), 'uint16');
  for (let d = 0; d < 40; d++) w.addDocument(Array.from({ length: 30 + (d % 7) * 9 }, (_, i) => 1 + ((d * 31 + i * 17) % 150)));
  w.finalize();
  return join(dir, name);
}
const settings: Partial<RunSettings> & { trainData: string } = {
  trainData: dataset('train'), validData: dataset('valid'), seqLength: 16, batchSize: 2, steps: 12, maxLr: 3e-3, minLr: 3e-4, warmupSteps: 2,
  validEvery: 4, validBatches: 2, checkpointEvery: 100, keepLast: 1, seed: 3,
};
const growAll = (c: TokenFormerConfig, w: Map<string, tf.Tensor>, m: Map<string, tf.Tensor>) => grow(c, w, { add: { query: 4, key: 4, value: 4, proj: 4, ffn: 8 }, seed: 2 }, m);
const tokenNums = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as TokenFormerConfig).layers.map((l) => [l.query.paramTokenNum, l.ffn.paramTokenNum]);

describe('a growth schedule in one run [cpu]', () => {
  it('grows after each step of growAt, and resumes bit-identically between and after the growths', async () => {
    await useBackend('cpu');
    const s = { ...settings, growAt: [4, 8], newTokenLrScale: 3, newTokenWarmupSteps: 2 };
    const straight = join(dir, 'straight');
    await runTraining(straight, config, s, { grow: growAll });
    const q = config.layers[0]!.query.paramTokenNum;
    const f = config.layers[0]!.ffn.paramTokenNum;
    expect(tokenNums(join(straight, 'checkpoints', '12', 'config.json'))[0]).toEqual([q + 8, f + 16]);
    const state = JSON.parse(readFileSync(join(straight, 'checkpoints', '12', 'trainer_state.json'), 'utf8'));
    expect(state.grownAt).toBe(8);
    expect(state.newRows['layers.0.attention.query.keyParamTokens']).toBe(q + 4); // the second growth's rows
    const events = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'growth').map((e) => e.step)).toEqual([4, 8]);
    for (const stopAt of [4, 6, 8, 10]) {
      const broken = join(dir, `broken-${stopAt}`);
      await runTraining(broken, config, s, { grow: growAll, shouldStop: (k) => k === stopAt });
      expect((await runTraining(broken, config, s, { grow: growAll })).lastStep).toBe(12);
      for (const file of ['model.safetensors', 'optimizer.safetensors']) {
        expect(readFileSync(join(straight, 'checkpoints', '12', file)).equals(readFileSync(join(broken, 'checkpoints', '12', file))), `${file}, stopped at ${stopAt}`).toBe(true);
      }
    }
  });

  it('gives the new tokens their own learning rate: at scale 0 they stay as grown while the old ones train', async () => {
    await useBackend('cpu');
    for (const scale of [0, 1]) {
      const run = join(dir, `scale-${scale}`);
      await runTraining(run, config, { ...settings, growAt: 6, newTokenLrScale: scale, keepLast: 3 }, { grow: growAll });
      const [grown, last] = [await loadCheckpoint(join(run, 'checkpoints', '6')), await loadCheckpoint(join(run, 'checkpoints', '12'))];
      const [a, b] = [grown.exportWeights(), last.exportWeights()];
      const name = 'layers.1.mlp.valueParamTokens';
      const n = config.layers[1]!.ffn.paramTokenNum;
      const [before, after] = [(await a.get(name)!.array()) as number[][], (await b.get(name)!.array()) as number[][]];
      expect(after.slice(0, n)).not.toEqual(before.slice(0, n)); // the old tokens trained
      if (scale === 0) expect(after.slice(n)).toEqual(before.slice(n)); // bit for bit
      else expect(after.slice(n)).not.toEqual(before.slice(n));
      tf.dispose([...a.values(), ...b.values()]);
      grown.dispose();
      last.dispose();
    }
  });
});

describe('the growth schedule and the new tokens\' learning rate', () => {
  const s = completeRunSettings({ ...settings, steps: 100, warmupSteps: 10, growAt: [40, 70], growSchedule: 'rewarmup', newTokenLrScale: 2, newTokenWarmupSteps: 5 }, config);

  it('re-warms after each growth when asked, and ramps the new tokens from 0 to their scale', () => {
    const lr = runSchedule(s);
    expect(lr(41)).toBeCloseTo(lr(1), 12);
    expect(lr(71)).toBeCloseTo(lr(1), 12);
    expect(lr(40)).toBeLessThan(s.maxLr);
    const own = newTokenLearningRate(s);
    expect(own(41, 1)).toBeCloseTo(2 / 5, 12);
    expect(own(45, 1)).toBeCloseTo(2, 12);
    expect(own(60, 0.5)).toBeCloseTo(1, 12);
    expect(own(72, 1)).toBeCloseTo(4 / 5, 12); // the second growth starts its own warmup
  });

  it('refuses a growth schedule that is not increasing steps inside the run', () => {
    expect(() => completeRunSettings({ ...settings, growAt: [6, 4] }, config)).toThrow(/growAt = \[6,4\] must increase/);
    expect(() => completeRunSettings({ ...settings, growAt: [4, 12] }, config)).toThrow(/grow after a step in 1..11 \(not 12\)/);
    expect(() => completeRunSettings({ ...settings, newTokenLrScale: -1 }, config)).toThrow(/newTokenLrScale = -1/);
  });
});

describe('AdamW with new rows at their own learning rate [cpu]', () => {
  it('updates the named rows at their rate and every other element exactly as without', async () => {
    await useBackend('cpu');
    const leaked = await tensorsLeakedBy(async () => {
      const init = [tf.randomNormal([6, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 6], 0, 1, 'float32', 2)]; // [n, d], and a transposed [d, n]
      const grads = new Map([['a', tf.randomNormal([6, 3], 0, 1, 'float32', 3)], ['b', tf.randomNormal([3, 6], 0, 1, 'float32', 4)]]);
      const make = () => new AdamW([{ name: 'a', variable: tf.tidy(() => tf.variable(init[0]!.clone())), weightDecay: 0.1 }, { name: 'b', variable: tf.tidy(() => tf.variable(init[1]!.clone())), weightDecay: 0.1, transposed: true }]);
      const [plain, mixed, fast] = [make(), make(), make()];
      for (let i = 0; i < 3; i++) {
        plain.apply(grads, 1e-2);
        mixed.apply(grads, 1e-2, { start: new Map([['a', 4], ['b', 2]]), lr: 5e-2 });
        fast.apply(grads, 5e-2);
      }
      const rows = async (o: AdamW, k: number) => o.params[k]!.variable.array() as Promise<number[][]>;
      const [pa, ma, fa] = [await rows(plain, 0), await rows(mixed, 0), await rows(fast, 0)];
      expect(ma.slice(0, 4)).toEqual(pa.slice(0, 4)); // bit for bit
      expect(ma.slice(4)).toEqual(fa.slice(4));
      const [pb, mb, fb] = [await rows(plain, 1), await rows(mixed, 1), await rows(fast, 1)];
      for (let r = 0; r < 3; r++) {
        expect(mb[r]!.slice(0, 2)).toEqual(pb[r]!.slice(0, 2)); // the transposed variable: new tokens are columns
        expect(mb[r]!.slice(2)).toEqual(fb[r]!.slice(2));
      }
      for (const o of [plain, mixed, fast]) {
        for (const p of o.params) p.variable.dispose();
        o.dispose();
      }
      tf.dispose([...init, ...grads.values()]);
    });
    expect(leaked).toBe(0);
  });
});
