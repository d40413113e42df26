// TokenFormer.setPattentionTopK: selective activation in every Pattention. k at or above every
// Pattention's token count is the full model bit for bit; a smaller k changes the logits (each input
// now uses k tokens per Pattention), generation still runs, and null restores the full model.
import { tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConfig, InputError, TokenFormer } from './index.js';

const config = createConfig({ vocabSize: 64, hiddenSize: 16, numLayers: 2, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 32, maxSeqLen: 32 });
const ids = [[3, 9, 27, 1, 40, 12, 5, 33]];

describe('TokenFormer.setPattentionTopK (selective activation)', () => {
  beforeAll(() => useBackend('cpu'));

  it('k >= every token count is the full model exactly; a smaller k changes the logits; null restores them', async () => {
    const model = new TokenFormer(config, { seed: 5 });
    const logits = async () => {
      const y = model.forward(ids);
      const data = Array.from(await y.data());
      y.dispose();
      return data;
    };
    const full = await logits();
    model.setPattentionTopK(32);
    expect(await logits()).toEqual(full);
    model.setPattentionTopK(4);
    const sparse = await logits();
    expect(sparse.every(Number.isFinite)).toBe(true);
    expect(Math.max(...sparse.map((v, i) => Math.abs(v - full[i]!)))).toBeGreaterThan(1e-4);
    const out = await model.generate([3, 9], { maxNewTokens: 4, temperature: 0 });
    expect(out).toHaveLength(4);
    expect(await tensorsLeakedBy(() => logits())).toBe(0);
    model.setPattentionTopK(null);
    expect(await logits()).toEqual(full);
    expect(() => model.setPattentionTopK(0)).toThrow(InputError);
    model.dispose();
  });
});
