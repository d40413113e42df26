import { countParams, createConfig, pattentionPrefix, TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { describeEachBackend, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { grow, GrowthError, measureDeviation, prune, scoreTokens } from './index.js';

const config = createConfig({ vocabSize: 61, hiddenSize: 16, numLayers: 2, numAttentionHeads: 2, qkvSlotNum: 12, projSlotNum: 8, ffnSlotNum: 24, maxSeqLen: 16 });
const batches = [[[3, 14, 15, 9, 26, 5, 35, 8, 9, 7], [2, 7, 18, 28, 18, 28, 4, 5, 9, 0]], [[1, 1, 2, 3, 5, 8, 13, 21, 34, 55]]];

function weightsOf(c: TokenFormerConfig, seed: number): Map<string, tf.Tensor> {
  const model = new TokenFormer(c, { seed });
  const w = model.exportWeights();
  model.dispose();
  return w;
}

async function scoresOf(c: TokenFormerConfig, weights: Map<string, tf.Tensor>) {
  const model = new TokenFormer(c, { weights });
  const scores = await scoreTokens(model, batches);
  model.dispose();
  return scores;
}

describeEachBackend('pruning', (backend) => {
  beforeAll(() => useBackend(backend));

  it('scores tokens that never fire (zero keys) at 0, and pruning them undoes an exact growth within 1e-6', async () => {
    const weights = weightsOf(config, 21);
    const g = grow(config, weights, { add: { ffn: 8, query: 4 }, seed: 5 }); // ffn 24 -> 32, query 12 -> 16
    const scores = await scoresOf(g.config, g.weights);
    const ffn = scores.get(pattentionPrefix(1, 'ffn'))!.importance;
    expect(Array.from(scores.get(pattentionPrefix(1, 'ffn'))!.normShare.slice(24))).toEqual(Array(8).fill(0));
    expect(Array.from(ffn.slice(24))).toEqual(Array(8).fill(0));
    expect(Math.min(...ffn.slice(0, 24))).toBeGreaterThan(0);
    const p = prune(g.config, g.weights, scores, { keep: 0.75, slots: ['ffn', 'query'] });
    expect(p.config.layers[1]!.ffn.paramTokenNum).toBe(24);
    expect(p.config.layers[0]!.query.paramTokenNum).toBe(12);
    const dev = await measureDeviation({ config, weights }, p, batches[0]!);
    expect(dev.maxAbsLogitDiff).toBeLessThanOrEqual(1e-6);
    tf.dispose([...weights.values(), ...g.weights.values(), ...p.weights.values()]);
  });

  it('returns a smaller model that loads and runs, with the AdamW moments pruned alike; keep = 1 changes nothing', async () => {
    const weights = weightsOf(config, 22);
    const scores = await scoresOf(config, weights);
    const state = new Map<string, tf.Tensor>();
    for (const [name, t] of weights) state.set(`${name}.exp_avg`, t.clone());
    const p = prune(config, weights, scores, { keep: 0.5 }, state);
    expect(p.pruned).toHaveLength(10);
    // calibrated τ: the old τ times √(kept share of the L2 norm), a share in (0.5, 1) for the most important half
    const ffn = p.pruned.find((q) => q.layer === 0 && q.slot === 'ffn')!;
    expect(ffn).toMatchObject({ from: 24, to: 12, tauBefore: Math.sqrt(24) });
    expect(ffn.tauAfter / ffn.tauBefore).toBeLessThan(1);
    expect(ffn.tauAfter / ffn.tauBefore).toBeGreaterThan(Math.sqrt(0.3));
    expect(p.config.layers[0]!.ffn).toEqual({ paramTokenNum: 12, tau: ffn.tauAfter });
    const kept = prune(config, weights, scores, { keep: 0.5, tau: 'keep' });
    expect(kept.config.layers[0]!.ffn).toEqual({ paramTokenNum: 12, tau: Math.sqrt(24) });
    const official = prune(config, weights, scores, { keep: 0.5, tau: 'official' });
    expect(official.config.layers[0]!.ffn).toEqual({ paramTokenNum: 12, tau: null });
    tf.dispose([...kept.weights.values(), ...official.weights.values()]);
    const small = new TokenFormer(p.config, { weights: p.weights });
    const loss = small.loss(batches[0]!);
    expect(Number.isFinite((await loss.data())[0])).toBe(true);
    expect(countParams(config) - small.countParams()).toBe(p.pruned.reduce((n, q) => n + 2 * 16 * (q.from - q.to), 0));
    const name = `${pattentionPrefix(0, 'ffn')}.valueParamTokens`;
    expect(Array.from(await p.optimizerState!.get(`${name}.exp_avg`)!.data())).toEqual(Array.from(await p.weights.get(name)!.data()));
    const same = prune(config, weights, scores, { keep: 1 }); // nothing dropped: same τ, same function
    const dev = await measureDeviation({ config, weights }, same, batches[0]!);
    expect(dev.maxAbsLogitDiff).toBe(0);
    tf.dispose([loss, ...weights.values(), ...state.values(), ...p.weights.values(), ...p.optimizerState!.values(), ...same.weights.values()]);
    small.dispose();
  });

  it('leaks nothing, and refuses bad requests naming the value', async () => {
    const weights = weightsOf(config, 23);
    const scores = await scoresOf(config, weights);
    expect(
      await tensorsLeakedBy(async () => {
        const model = new TokenFormer(config, { weights });
        await scoreTokens(model, batches);
        model.dispose();
        const p = prune(config, weights, scores, { keep: 0.3 });
        tf.dispose([...p.weights.values()]);
      }),
    ).toBe(0);
    expect(() => prune(config, weights, scores, { keep: 0 })).toThrow(GrowthError);
    expect(() => prune(config, weights, scores, { keep: 1.5 })).toThrow(/keep = 1.5: the fraction of tokens to keep must be in \(0, 1\]/);
    expect(() => prune(config, weights, scores, { keep: 0.5, layers: [4] })).toThrow(/layer 4 is out of range/);
    expect(() => prune(config, weights, scores, { keep: 0.5, tau: 'sqrt' as never })).toThrow(/tau "sqrt": choose calibrated, keep or official/);
    scores.delete(pattentionPrefix(1, 'proj'));
    expect(() => prune(config, weights, scores, { keep: 0.5 })).toThrow(/scores for layers.1.attention.proj: none, the model has 8 tokens there/);
    tf.dispose([...weights.values()]);
  });
});
