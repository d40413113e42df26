// Growing a live training step and resuming from a checkpoint take the same state object, in the
// one layout (OptimizerState): a run grown with @tokenformer/growth, saved (model + optimizer
// bytes) and resumed trains on bit-identically to the run that never stopped. No transposes in
// user code: only public API below.
import { tensorsLeakedBy, tf, useBackend, type BackendName } from '@tokenformer/testing';
import { grow } from '@tokenformer/growth';
import { deserializeCheckpoint, preset, serializeCheckpoint, TokenFormer } from '@tokenformer/model';
import { describe, expect, it } from 'vitest';
import { deserializeOptimizerState, serializeOptimizerState } from './optimizerFile.js';
import { TrainStep, type TokenBatch } from './trainStep.js';

const config = preset('tiny');
const batchAt = (i: number): TokenBatch => ({ data: Int32Array.from({ length: 2 * 17 }, (_, j) => (j * (7 + i) + 3 * i) % 200), shape: [2, 17] });

async function weightsOf(model: TokenFormer): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const { variable } of model.namedVariables().values()) out.push((await variable.data()) as Float32Array);
  return out;
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`TrainStep.grow [${backend}]`, () => {
    it('grows a live run in one call, and a save + resume of the grown run continues bit-identically', async () => {
      await useBackend(backend);
      const leaked = await tensorsLeakedBy(async () => {
        let step = new TrainStep(new TokenFormer(config, { seed: 1 }));
        for (let i = 0; i < 3; i++) await step.run([batchAt(i)], 2e-3);
        const before = step.model.countParams();
        step = step.grow((c, w, m) => grow(c, w, { add: { query: 8, key: 8, value: 8, proj: 8, ffn: 32 }, seed: 4 }, m));
        expect(step.model.countParams()).toBeGreaterThan(before);
        expect(step.optimizer.step).toBe(3);

        // save the grown run as a checkpoint would hold it
        const { config: configJson, weights } = await serializeCheckpoint(step.model);
        const state = step.state();
        const optimizerBytes = await serializeOptimizerState(state);
        tf.dispose([...state.moments.values()]);

        const straight: number[] = [];
        for (let i = 3; i < 6; i++) straight.push((await step.run([batchAt(i)], 2e-3)).loss);

        const resumed = new TrainStep(deserializeCheckpoint(configJson, weights));
        const loaded = deserializeOptimizerState(optimizerBytes);
        resumed.loadState(loaded);
        tf.dispose([...loaded.moments.values()]);
        const again: number[] = [];
        for (let i = 3; i < 6; i++) again.push((await resumed.run([batchAt(i)], 2e-3)).loss);

        expect(again).toEqual(straight); // bit for bit
        const [a, b] = [await weightsOf(step.model), await weightsOf(resumed.model)];
        a.forEach((w, k) => expect(Buffer.from(w.buffer).equals(Buffer.from(b[k]!.buffer)), `weight ${k}`).toBe(true));
        const [sa, sb] = [step.state(), resumed.state()];
        for (const [key, t] of sa.moments) expect(Array.from(await t.data()), key).toEqual(Array.from(await sb.moments.get(key)!.data()));
        tf.dispose([...sa.moments.values(), ...sb.moments.values()]);
        for (const s of [step, resumed]) {
          s.dispose();
          s.model.dispose();
        }
      });
      expect(leaked).toBe(0);
    });

    it('refuses a growth that drops the optimizer state, and keeps the old step usable', async () => {
      await useBackend(backend);
      const step = new TrainStep(new TokenFormer(config, { seed: 1 }));
      expect(() => step.grow((c, w) => grow(c, w, { add: { ffn: 4 } }))).toThrow(/no optimizer state/);
      expect((await step.run([batchAt(0)], 1e-3)).skipped).toBe(false);
      step.dispose();
      step.model.dispose();
    });
  });
}
