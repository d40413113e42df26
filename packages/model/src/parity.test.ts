// Parity with the official architecture: fixtures written by tools/reference/make_fixtures.py
// (an independent PyTorch reference) are loaded as checkpoints and compared.
import { describeEachBackend, expectAllClose, fixturePath, readF32Safetensors, readJson, relativeError, tf, useBackend } from '@tokenformer/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TokenFormer } from './index.js';
import { loadCheckpoint } from './node.js';

interface Meta {
  ids: number[][];
  targets: number[][];
  ignoreIndex: number;
  loss: number;
  gradNorms: Record<string, number>;
  greedy: { prompt: number[]; tokens: number[] };
}

const FIXTURES = ['l2-norm-gelu', 'gelu-l2-norm', 'softmax-full-rotary'];

describeEachBackend('parity with the PyTorch reference', (backend) => {
  for (const name of FIXTURES) {
    const dir = fixturePath('parity', name);
    const meta = readJson<Meta>(`${dir}/meta.json`);
    const expected = readF32Safetensors(`${dir}/expected.safetensors`);
    let model: TokenFormer;

    beforeAll(async () => {
      await useBackend(backend);
      model = await loadCheckpoint(dir);
    });
    afterAll(() => model.dispose());

    it(`${name}: logits within 1e-4`, async () => {
      const logits = model.forward(meta.ids);
      expect(logits.shape).toEqual(expected.get('logits')!.shape);
      const maxDiff = expectAllClose((await logits.data()), expected.get('logits')!.data, 0, 1e-4);
      console.info(`parity ${name} [${backend}]: max |logit diff| ${maxDiff.toExponential(2)}`);
      logits.dispose();
    });

    it(`${name}: per-token losses (with ignored targets) and mean loss within 1e-4`, async () => {
      const losses = model.tokenLosses(meta.ids, meta.targets);
      expectAllClose((await losses.data()), expected.get('tokenLosses')!.data, 0, 1e-4);
      const loss = model.loss(meta.ids, meta.targets);
      expect(Math.abs((await loss.data())[0]! - meta.loss)).toBeLessThan(1e-4);
      tf.dispose([losses, loss]);
    });

    it(`${name}: gradients of every tensor within 1e-3 relative`, async () => {
      const named = model.namedVariables();
      const { grads } = tf.variableGrads(() => model.loss(meta.ids, meta.targets), model.trainableVariables());
      let worst = 0;
      for (const [tensorName, { variable, transposed }] of named) {
        const g = transposed ? tf.transpose(grads[variable.name]!) : grads[variable.name]!.clone();
        const want = expected.get(`grad.${tensorName}`)!;
        const err = relativeError((await g.data()), want.data);
        worst = Math.max(worst, err);
        expect(err, `${tensorName} relative error ${err}`).toBeLessThan(1e-3);
        const norm = Math.hypot(...Array.from((await g.data())));
        expect(Math.abs(norm - meta.gradNorms[tensorName]!) / meta.gradNorms[tensorName]!).toBeLessThan(1e-3);
        g.dispose();
      }
      console.info(`parity ${name} [${backend}]: worst gradient relative error ${worst.toExponential(2)}`);
      tf.dispose(Object.values(grads));
    });

    it(`${name}: greedy tokens equal the reference's, cached and uncached`, async () => {
      const { prompt, tokens } = meta.greedy;
      expect(await model.generate(prompt, { maxNewTokens: tokens.length, temperature: 0 })).toEqual(tokens);
      expect(await model.generate(prompt, { maxNewTokens: tokens.length, temperature: 0, useCache: false })).toEqual(tokens);
    });
  }
});
