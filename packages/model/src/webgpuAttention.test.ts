import { expectAllClose, onCpuAnd, randn, tensorsLeakedBy, tf, useBackend, webgpuStatus } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { CAUSAL_ATTENTION, CAUSAL_ATTENTION_GRAD, CROSS_ENTROPY, CROSS_ENTROPY_GRAD } from '@tokenformer/kernels';
import { causalAttention } from './attentionCore.js';
import { meanCrossEntropy } from './loss.js';

// The fused attention and cross-entropy WGSL kernels (Dawn + SwiftShader here) against the composed
// ops on the cpu backend: values and gradients, training shapes, decoding with a cached prefix, key
// counts past one chunk of workgroup memory (512), ignored targets.
describe.skipIf(!webgpuStatus.available)(`fused attention and loss on webgpu${webgpuStatus.available ? '' : ` (skipped: ${webgpuStatus.reason})`}`, () => {
  afterAll(() => useBackend('cpu'));

  for (const [B, H, tq, tk, hd] of [[2, 3, 7, 7, 16], [1, 2, 3, 8, 8], [1, 1, 1, 20, 64], [1, 1, 530, 530, 4], [1, 1, 2, 1100, 32]] as const) {
    it(`attention equals the composed ops with its gradient (B ${B}, H ${H}, ${tq} queries, ${tk} keys, head ${hd})`, async () => {
      const q = randn(B * H * tq * hd, 1);
      const k = randn(B * H * tk * hd, 2);
      const v = randn(B * H * tk * hd, 3);
      const w = randn(B * H * tq * hd, 4); // a random cotangent
      const run = async () => {
        const [qt, kt, vt] = [tf.tensor(q, [B, H, tq, hd]), tf.tensor(k, [B, H, tk, hd]), tf.tensor(v, [B, H, tk, hd])];
        const wt = tf.tensor(w, [B, H, tq, hd]);
        const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => causalAttention(a, b, c, tk - tq);
        const tensors = tf.tidy(() => [f(qt, kt, vt), ...tf.grads((a, b, c) => tf.sum(tf.mul(f(a!, b!, c!), wt)))([qt, kt, vt])]);
        const values = await Promise.all(tensors.map((t) => t.data()));
        tf.dispose([...tensors, qt, kt, vt, wt]);
        return values;
      };
      const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
      expect(leaked).toBe(0);
      expect(kernels).toContain(CAUSAL_ATTENTION);
      expect(kernels).toContain(CAUSAL_ATTENTION_GRAD);
      cpu.forEach((values, i) => expectAllClose(other[i]!, values, 2e-5, 2e-5));
    });
  }

  it('attention without a gradient keeps nothing', async () => {
    await useBackend('webgpu');
    const [q, k, v] = [1, 2, 3].map((s) => tf.tensor(randn(2 * 2 * 5 * 8, s), [2, 2, 5, 8]));
    const leaked = await tensorsLeakedBy(async () => {
      const o = causalAttention(q!, k!, v!, 0);
      await o.data();
      o.dispose();
    });
    expect(leaked).toBe(0);
    tf.dispose([q!, k!, v!]);
  });

  it('the mean loss equals the composed ops with its gradient, ignored targets included', async () => {
    const [B, T, V] = [2, 5, 300];
    const logits = randn(B * T * V, 7, 4);
    const targets = [0, 299, -100, 17, 5, 8, -100, 250, 1, 2];
    const run = async () => {
      const x = tf.tensor3d(logits, [B, T, V]);
      const y = tf.tensor2d(targets, [B, T], 'int32');
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => meanCrossEntropy(a, y, -100))([x]);
      const out = [await value.data(), await grads[0]!.data()];
      tf.dispose([x, y, value, ...grads]);
      return out;
    };
    const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
    expect(leaked).toBe(0);
    expect(kernels).toContain(CROSS_ENTROPY);
    expect(kernels).toContain(CROSS_ENTROPY_GRAD);
    expectAllClose(other[0]!, cpu[0]!, 1e-5, 1e-5);
    expectAllClose(other[1]!, cpu[1]!, 1e-6, 1e-5);
  });
});
