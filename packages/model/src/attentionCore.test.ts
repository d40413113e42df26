import { describeEachBackend, expectAllClose, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { batchedAttention, causalMask, perHeadAttention } from './attentionCore.js';

// The two ways of computing attention (one batched matMul; 2-D matMuls per (batch, head) pair, which
// wasm takes for large pairs) must agree in value and gradient, with and without a cached prefix.
describeEachBackend('causal attention: batched and per-head paths', (backend) => {
  beforeAll(() => useBackend(backend));

  for (const [tq, tk] of [[7, 7], [3, 8]] as const) {
    it(`agree on values and gradients (${tq} queries, ${tk} keys)`, async () => {
      const [B, H, hd] = [2, 3, 4];
      const q = tf.tensor(randn(B * H * tq * hd, 1), [B, H, tq, hd]);
      const k = tf.tensor(randn(B * H * tk * hd, 2), [B, H, tk, hd]);
      const v = tf.tensor(randn(B * H * tk * hd, 3), [B, H, tk, hd]);
      const w = tf.tensor(randn(B * H * tq * hd, 4), [B, H, tq, hd]); // a random cotangent
      const mask = causalMask(tq, tk, tk - tq);
      const scale = 1 / Math.sqrt(hd);
      const run = async (f: typeof batchedAttention) => {
        const tensors = tf.tidy(() => [f(q, k, v, mask, scale), ...tf.grads((a, b, c) => tf.sum(tf.mul(f(a!, b!, c!, mask, scale), w)))([q, k, v])]);
        const values = await Promise.all(tensors.map((t) => t.data()));
        tf.dispose(tensors);
        return values;
      };
      const batched = await run(batchedAttention);
      const perHead = await run(perHeadAttention);
      batched.forEach((values, i) => expectAllClose(perHead[i]!, values, 1e-5, 1e-5));
      tf.dispose([q, k, v, w, mask]);
    });
  }

  it('per-head attention leaks no tensors in forward and backward', async () => {
    const [B, H, T, hd] = [2, 2, 5, 4];
    const q = tf.tensor(randn(B * H * T * hd, 5), [B, H, T, hd]);
    const k = tf.tensor(randn(B * H * T * hd, 6), [B, H, T, hd]);
    const v = tf.tensor(randn(B * H * T * hd, 7), [B, H, T, hd]);
    const mask = causalMask(T, T, 0);
    const leaked = await tensorsLeakedBy(async () => {
      const out = tf.tidy(() => perHeadAttention(q, k, v, mask, 0.5));
      const grads = tf.grads((a, b, c) => tf.sum(perHeadAttention(a!, b!, c!, mask, 0.5)))([q, k, v]);
      await Promise.all([out, ...grads].map((t) => t.data()));
      tf.dispose([out, ...grads]);
    });
    expect(leaked).toBe(0);
    tf.dispose([q, k, v, mask]);
  });
});
