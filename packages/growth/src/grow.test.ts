import { createConfig, pattentionPrefix, TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { describeEachBackend, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { grow, growConfig, GrowthError, measureDeviation, type GrowthOptions } from './index.js';

const base = (normActivationType: TokenFormerConfig['normActivationType']) =>
  createConfig({ vocabSize: 61, hiddenSize: 16, numLayers: 2, numAttentionHeads: 2, qkvSlotNum: 12, projSlotNum: 8, ffnSlotNum: 24, maxSeqLen: 16, normActivationType });
const ids = [[3, 14, 15, 9, 26, 5, 35, 8, 9, 7], [2, 7, 18, 28, 18, 28, 4, 5, 9, 0]];

function trained(config: TokenFormerConfig, seed: number): Map<string, tf.Tensor> {
  const model = new TokenFormer(config, { seed });
  const w = model.exportWeights();
  model.dispose();
  return w;
}

describeEachBackend('growth', (backend) => {
  beforeAll(() => useBackend(backend));

  const cases: [string, TokenFormerConfig['normActivationType'], GrowthOptions][] = [
    ['every Pattention of every layer', 'l2_norm_gelu', { add: { query: 3, key: 3, value: 3, proj: 2, ffn: 5 }, seed: 1 }],
    ['the FFN of layer 1 only, many tokens', 'l2_norm_gelu', { add: { ffn: 40 }, layers: [1], seed: 2 }],
    ['gelu_l2_norm, attention only', 'gelu_l2_norm', { add: { query: 1, key: 2, value: 3, proj: 4 }, seed: 3 }],
    ['all-zero new tokens', 'l2_norm_gelu', { add: { ffn: 7, proj: 1 }, init: 'zero' }],
  ];
  for (const [name, norm, options] of cases) {
    it(`exact growth keeps the logits within 1e-6: ${name}`, async () => {
      const config = base(norm);
      const weights = trained(config, 11);
      const g = grow(config, weights, options);
      const dev = await measureDeviation({ config, weights }, g, ids);
      expect(dev.maxAbsLogitDiff).toBeLessThanOrEqual(1e-6);
      expect(g.grown.length).toBe((options.layers?.length ?? 2) * Object.keys(options.add).length);
      tf.dispose([...weights.values(), ...g.weights.values()]);
    });
  }

  it('official τ (√n of the grown count) changes the function, and the deviation says by how much', async () => {
    const config = base('l2_norm_gelu');
    const weights = trained(config, 12);
    const g = grow(config, weights, { add: { ffn: 24 }, tau: 'official', seed: 4 });
    expect(g.grown[0]).toMatchObject({ from: 24, to: 48, tauBefore: Math.sqrt(24), tauAfter: Math.sqrt(48) });
    expect(g.config.layers[0]!.ffn.tau).toBeNull();
    const dev = await measureDeviation({ config, weights }, g, ids);
    expect(dev.maxAbsLogitDiff).toBeGreaterThan(1e-3);
    tf.dispose([...weights.values(), ...g.weights.values()]);
  });

  it('softmax Θ is not preserved even with zero keys (exp(0) = 1), and that shows', async () => {
    const config = base('softmax');
    const weights = trained(config, 13);
    const g = grow(config, weights, { add: { ffn: 8 }, seed: 5 });
    const dev = await measureDeviation({ config, weights }, g, ids);
    expect(dev.maxAbsLogitDiff).toBeGreaterThan(1e-4);
    tf.dispose([...weights.values(), ...g.weights.values()]);
  });

  it('after zero-key growth the new keys get gradients (the values follow once keys move); all-zero tokens get none', async () => {
    const config = base('l2_norm_gelu');
    const weights = trained(config, 14);
    for (const init of ['zero-keys', 'zero'] as const) {
      const g = grow(config, weights, { add: { ffn: 4 }, layers: [0], init, seed: 6 });
      const model = new TokenFormer(g.config, { weights: g.weights });
      const named = model.namedVariables();
      const { grads, value } = tf.variableGrads(() => model.loss(ids), model.trainableVariables());
      const rows = async (tensor: string) => {
        const { variable, transposed } = named.get(`${pattentionPrefix(0, 'ffn')}.${tensor}`)!;
        const grad = grads[variable.name]!;
        const newRows = transposed ? tf.slice(grad, [0, 24], [-1, 4]) : tf.slice(grad, [24, 0], [4, -1]); // the 4 new tokens
        const norm = (await tf.norm(newRows).data())[0]!;
        newRows.dispose();
        return norm;
      };
      const keyGrad = await rows('keyParamTokens');
      const valueGrad = await rows('valueParamTokens');
      if (init === 'zero-keys') expect(keyGrad).toBeGreaterThan(1e-6);
      else expect(keyGrad).toBe(0);
      expect(valueGrad).toBe(0); // GeLU(0) = 0: no weight on the new values until the keys move
      tf.dispose([value, ...Object.values(grads), ...g.weights.values()]);
      model.dispose();
    }
    tf.dispose([...weights.values()]);
  });

  it('grows the AdamW moments: old rows kept, new rows zero', async () => {
    const config = base('l2_norm_gelu');
    const weights = trained(config, 15);
    const state = new Map<string, tf.Tensor>();
    for (const [name, t] of weights) {
      state.set(`${name}.exp_avg`, tf.onesLike(t));
      state.set(`${name}.exp_avg_sq`, tf.fill(t.shape, 2));
    }
    const g = grow(config, weights, { add: { query: 2 }, layers: [1], seed: 7 }, state);
    const grownKey = `${pattentionPrefix(1, 'query')}.keyParamTokens`;
    const m = g.optimizerState!.get(`${grownKey}.exp_avg_sq`)!;
    expect(m.shape).toEqual([14, 16]);
    const data = await m.data();
    expect(Array.from(data.slice(0, 12 * 16)).every((v) => v === 2)).toBe(true);
    expect(Array.from(data.slice(12 * 16)).every((v) => v === 0)).toBe(true);
    expect(g.optimizerState!.get(`${pattentionPrefix(0, 'query')}.keyParamTokens.exp_avg`)!.shape).toEqual([12, 16]);
    state.delete(`${grownKey}.exp_avg`);
    expect(() => grow(config, weights, { add: { query: 2 }, layers: [1] }, state)).toThrow(/lacks .*query.keyParamTokens.exp_avg/);
    tf.dispose([...weights.values(), ...state.values(), ...g.weights.values(), ...g.optimizerState!.values()]);
  });

  it('leaves no tensors behind beyond the ones it returns', async () => {
    const config = base('l2_norm_gelu');
    const weights = trained(config, 16);
    const leaked = await tensorsLeakedBy(() => {
      const g = grow(config, weights, { add: { ffn: 3, query: 1 }, seed: 8 });
      tf.dispose([...g.weights.values()]);
    });
    expect(leaked).toBe(0);
    tf.dispose([...weights.values()]);
  });
});

describe('growth requests that cannot apply', () => {
  const config = base('l2_norm_gelu');
  it('names the bad value and the limit', () => {
    expect(() => growConfig(config, { add: { mlp: 3 } as never })).toThrow(GrowthError);
    expect(() => growConfig(config, { add: { mlp: 3 } as never })).toThrow(/add.mlp: no such Pattention/);
    expect(() => growConfig(config, { add: { ffn: -1 } })).toThrow(/add.ffn = -1/);
    expect(() => growConfig(config, { add: { ffn: 1.5 } })).toThrow(/integer >= 0/);
    expect(() => growConfig(config, { add: {} })).toThrow(/nothing to grow/);
    expect(() => growConfig(config, { add: { ffn: 1 }, layers: [2] })).toThrow(/layer 2 is out of range: the model has layers 0..1/);
    expect(() => growConfig(config, { add: { ffn: 1 }, init: 'ones' as never })).toThrow(/init "ones": choose one of zero-keys, random, zero/);
    expect(() => growConfig(config, { add: { ffn: 1 }, tau: 'sqrt' as never })).toThrow(/tau "sqrt"/);
  });
  it('checks the weights against the config', () => {
    const weights = new Map([['wordEmbeddings', tf.zeros([3, 3])]]);
    expect(() => grow(config, weights, { add: { ffn: 1 } })).toThrow(/wordEmbeddings has shape \[3,3\], the config needs \[128,16\]/);
    tf.dispose([...weights.values()]);
  });
  it('pins τ under exact growth and keeps pinned values through a second growth', () => {
    const once = growConfig(config, { add: { ffn: 8 } });
    expect(once.config.layers[1]!.ffn).toEqual({ paramTokenNum: 32, tau: Math.sqrt(24) });
    const twice = growConfig(once.config, { add: { ffn: 8 } });
    expect(twice.config.layers[1]!.ffn).toEqual({ paramTokenNum: 40, tau: Math.sqrt(24) });
  });
});
