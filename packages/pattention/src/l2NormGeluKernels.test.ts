import { expectAllClose, onCpuAndWasm, randn, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { L2_NORM_GELU, L2_NORM_GELU_GRAD } from '@tokenformer/kernels';
import { nonlinearNorm } from './norms.js';
import { norm64, toRows } from './reference.test-helper.js';

/** Σ Θ(s) ⊙ w in float64 and its gradient by central differences. */
function reference(scores: Float32Array, w: Float32Array, M: number, n: number, tau: number) {
  const rows = toRows(scores, M, n);
  const zero = rows.map((r) => r.every((v) => v === 0));
  // the all-zero row is 0/0 in the formula (and in the official code): left out of the loss
  const loss = (s: number[][]) => norm64(s, 'l2_norm_gelu', tau).reduce((acc, row, i) => (zero[i] ? acc : acc + row.reduce((a, v, j) => a + v * w[i * n + j]!, 0)), 0);
  const grad = new Float64Array(M * n);
  for (let i = 0; i < M; i++) {
    if (zero[i]) continue; // an all-zero row: zero output and gradient by definition
    for (let j = 0; j < n; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(rows[i]![j]!));
      const plus = rows.map((r) => [...r]);
      const minus = rows.map((r) => [...r]);
      plus[i]![j]! += h;
      minus[i]![j]! -= h;
      grad[i * n + j] = (loss(plus) - loss(minus)) / (2 * h);
    }
  }
  const value = norm64(rows, 'l2_norm_gelu', tau).flat().map((v, k) => (zero[Math.floor(k / n)] ? 0 : v));
  return { value, grad };
}

describe('fused l2_norm_gelu kernels of the wasm backend', () => {
  beforeAll(() => useBackend('wasm'));

  it('take float32 [M, n] scores with n a multiple of 4', async () => {
    const kernelsOf = async (n: number) => {
      const scores = tf.ones([3, n]) as tf.Tensor2D;
      const info = await tf.profile(() => nonlinearNorm(scores, 'l2_norm_gelu'));
      tf.dispose(info.result);
      scores.dispose();
      return info.kernels.map((k) => k.name);
    };
    expect(await kernelsOf(8)).toContain(L2_NORM_GELU);
    expect(await kernelsOf(6)).not.toContain(L2_NORM_GELU);
  });

  // tau 40 pushes |z| up to 40 (exp underflow, Φ at 0 and 1); tau 0.3 keeps z near 0
  for (const [M, n, tau, scale] of [[5, 16, 4, 1.5], [4, 64, 8, 3], [3, 8, 40, 1], [3, 12, 0.3, 0.01]] as const) {
    it(`value and gradient equal the float64 reference (M ${M}, n ${n}, tau ${tau}), an all-zero row included`, async () => {
      const scores = randn(M * n, M + n, scale);
      scores.fill(0, n, 2 * n); // row 1 is all zero
      const w = randn(M * n, 99);
      const expected = reference(scores, w, M, n, tau);
      const s = tf.tensor2d(scores, [M, n]);
      const wT = tf.tensor2d(w, [M, n]);
      const kernels = new Set<string>();
      const profile = await tf.profile(async () => {
        const value = nonlinearNorm(s as tf.Tensor2D, 'l2_norm_gelu', tau);
        const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(nonlinearNorm(x as tf.Tensor2D, 'l2_norm_gelu', tau), wT)))(s);
        expectAllClose(await value.data(), expected.value, 2e-6, 2e-6);
        expectAllClose(await grad.data(), expected.grad, 2e-4, 2e-5);
        tf.dispose([value, grad]);
      });
      for (const k of profile.kernels) kernels.add(k.name);
      expect(kernels).toContain(L2_NORM_GELU);
      expect(kernels).toContain(L2_NORM_GELU_GRAD);
      tf.dispose([s, wT]);
    });
  }

  it('gives the composed ops\' result on the cpu backend to float rounding, and leaks nothing', async () => {
    const [M, n] = [64, 256];
    const scores = randn(M * n, 5, 2);
    const w = randn(M * n, 6);
    const run = async () => {
      const s = tf.tensor2d(scores, [M, n]);
      const wT = tf.tensor2d(w, [M, n]);
      const value = nonlinearNorm(s, 'l2_norm_gelu');
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(nonlinearNorm(x as tf.Tensor2D, 'l2_norm_gelu'), wT)))(s);
      const out = [await value.data(), await grad.data()];
      tf.dispose([s, wT, value, grad]);
      return out;
    };
    const { cpu: composed, wasm: fused, wasmKernels, wasmLeaked } = await onCpuAndWasm(run);
    expect(wasmLeaked).toBe(0);
    expect(wasmKernels).toContain(L2_NORM_GELU);
    expectAllClose(fused[0]!, composed[0]!, 1e-6, 1e-6);
    expectAllClose(fused[1]!, composed[1]!, 1e-5, 1e-5);
  });
});
