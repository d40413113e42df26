// A training step on a tiny TokenFormer: the loss falls, tensors do not leak over hundreds of
// steps, accumulation equals one big batch, runs repeat bit for bit, and non-finite steps are
// skipped without touching the weights.
import { tensorsLeakedBy, tf, useBackend, type BackendName } from '@tokenformer/testing';
import { preset, TokenFormer } from '@tokenformer/model';
import { describe, expect, it } from 'vitest';
import { NonFiniteError } from './errors.js';
import { TrainStep, type TokenBatch } from './trainStep.js';

const config = preset('tiny');

function batch(rows: number[][]): TokenBatch {
  return { data: Int32Array.from(rows.flat()), shape: [rows.length, rows[0]!.length] };
}

const rowA = Array.from({ length: 33 }, (_, i) => (i * 7) % 50);
const rowB = Array.from({ length: 33 }, (_, i) => (i * 3 + 5) % 60);

async function weights(model: TokenFormer): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const { variable } of model.namedVariables().values()) out.push((await variable.data()) as Float32Array);
  return out;
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`TrainStep [${backend}]`, () => {
    // the cpu backend is ~10x slower: fewer steps there
    const steps = backend === 'cpu' ? 60 : 200;
    it(`lowers the loss over ${steps} steps with a flat tensor count`, async () => {
      await useBackend(backend);
      const model = new TokenFormer(config, { seed: 1 });
      const step = new TrainStep(model, { weightDecay: 0.1, clip: 1.0 });
      const b = batch([rowA, rowB]);
      const first = await step.run([b], 3e-3);
      let count = 0;
      let last = first;
      for (let i = 1; i < steps; i++) {
        last = await step.run([b], 3e-3);
        if (i === 5) count = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(count);
      expect(first.loss).toBeGreaterThan(4);
      expect(last.loss).toBeLessThan(first.loss * (backend === 'cpu' ? 0.5 : 0.2));
      expect(last.skipped).toBe(false);
      expect(step.optimizer.step).toBe(steps);
      step.dispose();
      model.dispose();
    });

    it('accumulating two micro-batches equals one batch of both, and runs repeat bit for bit', async () => {
      await useBackend(backend);
      const run = async (micro: boolean): Promise<Float32Array[]> => {
        const model = new TokenFormer(config, { seed: 2 });
        const step = new TrainStep(model);
        for (let i = 0; i < 3; i++) await step.run(micro ? [batch([rowA]), batch([rowB])] : [batch([rowA, rowB])], 1e-3);
        const w = await weights(model);
        step.dispose();
        model.dispose();
        return w;
      };
      const big = await run(false);
      const acc = await run(true);
      big.forEach((w, i) => {
        let max = 0;
        for (let k = 0; k < w.length; k++) max = Math.max(max, Math.abs(w[k]! - acc[i]![k]!));
        expect(max).toBeLessThan(1e-5);
      });
      expect(await run(false)).toEqual(big);
    });

    it('skips a non-finite step without touching the weights, then stops after too many', async () => {
      await useBackend(backend);
      const model = new TokenFormer(config, { seed: 3 });
      const step = new TrainStep(model, { maxNonFiniteSteps: 3 });
      const norm = model.namedVariables().get('finalNorm.bias')!.variable;
      norm.assign(tf.fill(norm.shape, NaN));
      const before = await weights(model);
      const leaked = await tensorsLeakedBy(async () => {
        for (let i = 0; i < 2; i++) {
          const r = await step.run([batch([rowA])], 1e-3);
          expect(r.skipped).toBe(true);
        }
      });
      expect(leaked).toBe(0);
      expect(await weights(model)).toEqual(before);
      expect(step.nonFiniteTotal).toBe(2);
      expect(step.optimizer.step).toBe(0);
      await expect(step.run([batch([rowA])], 1e-3)).rejects.toThrow(NonFiniteError);
      await expect(step.run([batch([rowA])], 1e-3)).rejects.toThrow(/4 steps in a row had a non-finite loss/);
      step.dispose();
      model.dispose();
    });

    it('dispose() frees everything the step made (the optimizer moments once left 2 tensors per parameter)', async () => {
      await useBackend(backend);
      const model = new TokenFormer(config, { seed: 5 });
      const leaked = await tensorsLeakedBy(async () => {
        const step = new TrainStep(model);
        await step.run([batch([rowA])], 1e-3);
        step.dispose();
      });
      expect(leaked).toBe(0);
      model.dispose();
    });
  });
}
