import { describeEachBackend, expectAllClose, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { embeddingLookup } from './embedding.js';
import { InputError } from './errors.js';

describeEachBackend('embeddingLookup', (backend) => {
  beforeAll(() => useBackend(backend));

  it('gathers rows by id, and its gradient sums the cotangent rows of repeated ids', async () => {
    const [V, C] = [7, 8];
    const table = randn(V * C, 1);
    const ids = [3, 0, 6, 3, 3, 1];
    const w = randn(ids.length * C, 2);
    const leaked = await tensorsLeakedBy(async () => {
      const t = tf.tensor2d(table, [V, C]);
      const i = tf.tensor1d(ids, 'int32');
      const wt = tf.tensor2d(w, [ids.length, C]);
      const rows = embeddingLookup(t, i);
      expect(Array.from(await rows.data())).toEqual(ids.flatMap((id) => Array.from(table.subarray(id * C, id * C + C))));
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(x as tf.Tensor2D, i), wt)))(t);
      const expected = new Float32Array(V * C);
      ids.forEach((id, k) => { for (let c = 0; c < C; c++) expected[id * C + c]! += w[k * C + c]!; });
      expectAllClose(await g.data(), expected, 1e-6, 1e-6);
      tf.dispose([t, i, wt, rows, g]);
    });
    expect(leaked).toBe(0);
  });

  // our GATHER_ROWS kernels check ids that are on the CPU (a batch as it arrives)
  if (backend === 'wasm' || backend === 'webgpu') {
    it('refuses an id outside the table by name, leaking nothing', async () => {
      const t = tf.zeros([4, 8]) as tf.Tensor2D;
      const i = tf.tensor1d([1, 4], 'int32');
      const before = tf.memory();
      expect(() => embeddingLookup(t, i)).toThrow(InputError);
      expect(() => embeddingLookup(t, i)).toThrow(/id 4 at position 1 is outside the embedding's 4 rows/);
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
      tf.dispose([t, i]);
    });
  }
});
