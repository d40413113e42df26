import { expectAllClose, onCpuAnd, randn, tf, useBackend, webgpuStatus } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GELU_L2_NORM, GELU_L2_NORM_GRAD, L2_NORM_GELU, L2_NORM_GELU_GRAD, SOFTMAX_NORM, SOFTMAX_NORM_GRAD } from '@tokenformer/kernels';
import { nonlinearNorm, type NormActivationType } from './norms.js';

// The fused l2_norm_gelu WGSL kernels (Dawn + SwiftShader here) against the composed tf ops on the
// cpu backend: value and gradient, an all-zero row, |z| large (τ 40) and small (τ 0.3).
describe.skipIf(!webgpuStatus.available)(`fused l2_norm_gelu kernels of the webgpu backend${webgpuStatus.available ? '' : ` (skipped: ${webgpuStatus.reason})`}`, () => {
  afterAll(() => useBackend('cpu'));

  for (const [M, n, tau, scale] of [[5, 16, 4, 1.5], [3, 8, 40, 1], [3, 12, 0.3, 0.01], [64, 1024, undefined, 2]] as const) {
    it(`equal the composed ops (M ${M}, n ${n}, tau ${tau ?? '√n'}), an all-zero row included, leaking nothing`, async () => {
      const scores = randn(M * n, M + n, scale);
      scores.fill(0, n, 2 * n); // row 1 is all zero
      const w = randn(M * n, 99);
      const run = async () => {
        const s = tf.tensor2d(scores, [M, n]);
        const wT = tf.tensor2d(w, [M, n]);
        const value = nonlinearNorm(s, 'l2_norm_gelu', tau);
        const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(nonlinearNorm(x as tf.Tensor2D, 'l2_norm_gelu', tau), wT)))(s);
        const out = [await value.data(), await grad.data()];
        tf.dispose([s, wT, value, grad]);
        return out;
      };
      const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
      expect(leaked).toBe(0);
      expect(kernels).toContain(L2_NORM_GELU);
      expect(kernels).toContain(L2_NORM_GELU_GRAD);
      expectAllClose(other[0]!, cpu[0]!, 1e-5, 1e-5);
      expectAllClose(other[1]!, cpu[1]!, 1e-4, 1e-4);
    });
  }

  for (const [type, forward, backward] of [['gelu_l2_norm', GELU_L2_NORM, GELU_L2_NORM_GRAD], ['softmax', SOFTMAX_NORM, SOFTMAX_NORM_GRAD]] as const) {
    for (const [M, n, scale] of [[5, 16, 1.5], [3, 7, 30], [32, 1024, 2]] as const) {
      it(`fused ${type} equals the composed ops (M ${M}, n ${n}, scale ${scale}), an all-zero row included`, async () => {
        const scores = randn(M * n, M * n + 1, scale);
        scores.fill(0, n, 2 * n);
        const w = randn(M * n, 98);
        const run = async () => {
          const s = tf.tensor2d(scores, [M, n]);
          const wT = tf.tensor2d(w, [M, n]);
          const value = nonlinearNorm(s, type as NormActivationType);
          const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(nonlinearNorm(x as tf.Tensor2D, type as NormActivationType), wT)))(s);
          const out = [await value.data(), await grad.data()];
          tf.dispose([s, wT, value, grad]);
          return out;
        };
        const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
        expect(leaked).toBe(0);
        expect(kernels).toContain(forward);
        expect(kernels).toContain(backward);
        expectAllClose(other[0]!, cpu[0]!, 1e-5, 1e-5);
        expectAllClose(other[1]!, cpu[1]!, 1e-4, 1e-4);
      });
    }
  }
});
