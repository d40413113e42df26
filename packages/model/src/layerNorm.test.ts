import { expectAllClose, onCpuAndWasm, randn, tf, useBackend } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYER_NORM, LAYER_NORM_GRAD } from '@tokenformer/kernels';
import { layerNorm } from './layerNorm.js';

// The wasm kernels against the composed tf ops on the cpu backend: values and gradients, with a
// large common offset (a one-pass variance would lose it), a constant row (variance 0) and the
// parametric form.
describe('LayerNorm kernels of the wasm backend', () => {
  afterAll(() => useBackend('cpu'));

  for (const [shape, offset] of [[[3, 8], 0], [[2, 5, 256], 100]] as const) {
    it(`equal the composed ops on ${JSON.stringify(shape)}, offset ${offset}, with and without weight and bias`, async () => {
      const size = shape.reduce((a, s) => a * s, 1);
      const C = shape[shape.length - 1]!;
      const x = randn(size, size).map((v) => v + offset);
      x.fill(3.5, 0, C); // a constant first row
      const w = randn(size, 2);
      const gamma = randn(C, 3);
      const beta = randn(C, 4);
      const run = async () => {
        const xt = tf.tensor(x, [...shape]);
        const wt = tf.tensor(w, [...shape]);
        const g = tf.tensor1d(gamma);
        const b = tf.tensor1d(beta);
        const y = layerNorm(xt, 1e-5);
        const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, 1e-5), wt)))([xt]);
        const [dx2, dg, db] = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, 1e-5, c, d), wt)))([xt, g, b]);
        const out = (await Promise.all([y, dx!, dx2!, dg!, db!].map((t) => t.data()))) as Float32Array[];
        tf.dispose([xt, wt, g, b, y, dx!, dx2!, dg!, db!]);
        return out;
      };
      const { cpu: composed, wasm: fused, wasmKernels, wasmLeaked } = await onCpuAndWasm(run);
      expect(wasmLeaked).toBe(0);
      expect(wasmKernels).toContain(LAYER_NORM);
      expect(wasmKernels).toContain(LAYER_NORM_GRAD);
      // float32 inputs near 100 carry 1e-5 of rounding each: the sums' order shows at that level
      const tol = offset ? 5e-5 : 1e-5;
      expectAllClose(fused[0]!, composed[0]!, tol, tol);
      for (const i of [1, 2, 3, 4]) expectAllClose(fused[i]!, composed[i]!, 10 * tol, 10 * tol);
    });
  }
});
