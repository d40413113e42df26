import { describeEachBackend, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { TRANSPOSE_2D } from '@tokenformer/kernels';
import { transpose2d } from './transpose2d.js';

/** xᵀ by index arithmetic. */
function transposed(values: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out.push(values[r * cols + c]!);
  return out;
}

describeEachBackend('transpose2d', (backend) => {
  beforeAll(() => useBackend(backend));

  // multiples of 4 take the wasm kernel there; the others tf.transpose
  for (const [rows, cols] of [[4, 4], [8, 12], [2048, 256], [256, 1028], [6, 5], [4, 6], [1, 8]] as const) {
    it(`[${rows}, ${cols}] float32 equals the transpose by index`, async () => {
      const values = randn(rows * cols, rows + cols);
      const x = tf.tensor2d(values, [rows, cols]);
      const names: string[] = [];
      const profile = await tf.profile(async () => {
        const t = transpose2d(x);
        expect(t.shape).toEqual([cols, rows]);
        expect(Array.from(await t.data())).toEqual(transposed(values, rows, cols));
        t.dispose();
      });
      for (const k of profile.kernels) names.push(k.name);
      if (backend === 'wasm' && rows % 4 === 0 && cols % 4 === 0) expect(names).toContain(TRANSPOSE_2D);
      x.dispose();
    });
  }

  it('int32, a gradient (the transposed cotangent), and no leaks', async () => {
    const ints = Int32Array.from({ length: 8 * 12 }, (_, i) => i * 7 - 300);
    const w = randn(12 * 8, 3);
    const leaked = await tensorsLeakedBy(async () => {
      const x = tf.tensor2d(ints, [8, 12], 'int32');
      const t = transpose2d(x);
      expect(Array.from(await t.data())).toEqual(transposed(ints, 8, 12));
      const xf = tf.tensor2d(randn(8 * 12, 4), [8, 12]);
      const wT = tf.tensor2d(w, [12, 8]);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(transpose2d(a as tf.Tensor2D), wT)))(xf);
      expect(Array.from(await g.data())).toEqual(transposed(w, 12, 8));
      tf.dispose([x, t, xf, wT, g]);
    });
    expect(leaked).toBe(0);
  });
});
