// Selective activation (PattentionOptions.topK): each input row keeps its k largest normalised
// weights. Against a reference in float64 that zeroes the rest by hand; k >= n is the full op exactly.
import { describeEachBackend, expectAllClose, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { PattentionConfigError, pattention, type NormActivationType } from './index.js';

const [M, d1, n, d2] = [6, 8, 16, 5];

describeEachBackend('Pattention topK (selective activation)', (backend) => {
  beforeAll(() => useBackend(backend));
  for (const norm of ['l2_norm_gelu', 'gelu_l2_norm', 'softmax'] as NormActivationType[]) {
    it(`${norm}: k >= n is the full op exactly; k < n keeps each row's k largest weights`, async () => {
      const x = tf.tensor2d(randn(M * d1, 31), [M, d1]);
      const k = tf.tensor2d(randn(n * d1, 32, 0.8), [n, d1]);
      const v = tf.tensor2d(randn(n * d2, 33), [n, d2]);
      const run = (topK?: number) => tf.tidy(() => pattention(x, k, v, { normActivationType: norm, ...(topK !== undefined ? { topK } : {}) }));
      const full = await run().data();
      for (const topK of [n, n + 4]) expect(Array.from(await run(topK).data())).toEqual(Array.from(full));
      // the weights the op computes, then the reference: each row's 3 largest kept, times V, in float64
      let kept: tf.Tensor | undefined;
      const observed = tf.tidy(() => pattention(x, k, v, { normActivationType: norm, observeWeights: (w) => void (kept = tf.keep(tf.clone(w))) }));
      observed.dispose();
      const weights = (await kept!.data()) as Float32Array;
      kept!.dispose();
      const values = await v.data();
      const expected: number[] = [];
      for (let r = 0; r < M; r++) {
        const row = Array.from(weights.subarray(r * n, (r + 1) * n));
        const kth = [...row].sort((a, b) => b - a)[2]!;
        for (let c = 0; c < d2; c++) expected.push(row.reduce((s, w, j) => s + (w >= kth ? w * values[j * d2 + c]! : 0), 0));
      }
      expectAllClose(await run(3).data(), expected, 1e-5);
      expect(await tensorsLeakedBy(async () => {
        const out = run(3);
        await out.data();
        out.dispose();
      })).toBe(0);
      tf.dispose([x, k, v]);
    });
  }

  it('refuses a topK that is not an integer >= 1', () => {
    const x = tf.zeros([2, d1]);
    const k = tf.zeros([n, d1]) as tf.Tensor2D;
    const v = tf.zeros([n, d2]) as tf.Tensor2D;
    for (const topK of [0, -1, 2.5, Number.NaN]) expect(() => pattention(x, k, v, { topK })).toThrow(PattentionConfigError);
    tf.dispose([x, k, v]);
  });
});
