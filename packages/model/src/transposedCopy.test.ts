import { describeEachBackend, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { TransposedCopy } from './transposedCopy.js';

describeEachBackend('TransposedCopy', (backend) => {
  beforeAll(() => useBackend(backend));

  it('is the transpose, made once, remade after an assign(), and freed by dispose()', async () => {
    const [V, C] = [6, 4];
    const emb = tf.variable(tf.tensor2d(randn(V * C, 1), [V, C]));
    const leaked = await tensorsLeakedBy(async () => {
      const cache = new TransposedCopy();
      const first = cache.of(emb);
      expect(first.shape).toEqual([C, V]);
      const transposed = tf.transpose(emb);
      expect(await first.array()).toEqual(await transposed.array());
      transposed.dispose();
      expect(cache.of(emb)).toBe(first);
      const next = tf.tensor2d(randn(V * C, 2), [V, C]);
      emb.assign(next);
      next.dispose();
      const second = cache.of(emb);
      expect(second).not.toBe(first);
      expect(first.isDisposed).toBe(true);
      const expected = tf.transpose(emb);
      expect(await second.array()).toEqual(await expected.array());
      expected.dispose();
      cache.dispose();
      expect(second.isDisposed).toBe(true);
    });
    expect(leaked).toBe(0);
    emb.dispose();
  });
});
