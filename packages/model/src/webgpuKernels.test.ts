import { expectAllClose, onCpuAnd, randn, tf, useBackend, webgpuStatus } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GATHER_ROWS, LAYER_NORM, LAYER_NORM_GRAD, ROTARY, SCATTER_ADD_ROWS } from '@tokenformer/kernels';
import { embeddingLookup } from './embedding.js';
import { layerNorm } from './layerNorm.js';
import { applyRotary, rotaryTables } from './rotary.js';

// Our WebGPU kernels (WGSL, on Dawn + SwiftShader here) against the composed tf ops on the cpu
// backend: values and gradients to float rounding, the kernel seen running, nothing leaked.
describe.skipIf(!webgpuStatus.available)(`WebGPU kernels of the model${webgpuStatus.available ? '' : ` (skipped: ${webgpuStatus.reason})`}`, () => {
  afterAll(() => useBackend('cpu'));

  for (const [shape, offset] of [[[3, 8], 0], [[2, 5, 256], 100], [[4, 1000], 0]] as const) {
    it(`LayerNorm equals the composed ops on ${JSON.stringify(shape)}, offset ${offset}`, async () => {
      const size = shape.reduce((a, s) => a * s, 1);
      const C = shape[shape.length - 1]!;
      const x = randn(size, size).map((v) => v + offset);
      x.fill(3.5, 0, C); // a constant first row: variance 0
      const w = randn(size, 2);
      const run = async () => {
        const xt = tf.tensor(x, [...shape]);
        const wt = tf.tensor(w, [...shape]);
        const y = layerNorm(xt, 1e-5);
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, 1e-5), wt)))(xt);
        const out = [await y.data(), await g.data()];
        tf.dispose([xt, wt, y, g]);
        return out;
      };
      const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
      expect(leaked).toBe(0);
      expect(kernels).toContain(LAYER_NORM);
      expect(kernels).toContain(LAYER_NORM_GRAD);
      expectAllClose(other[0]!, cpu[0]!, 1e-4, 1e-5);
      expectAllClose(other[1]!, cpu[1]!, 1e-3, 1e-4);
    });
  }

  for (const [hd, dims, offset] of [[16, 4, 0], [16, 16, 3], [64, 16, 100]] as const) {
    it(`rotary equals the composed ops (head ${hd}, ${dims} rotary dims, offset ${offset}), and its gradient`, async () => {
      const [B, T, H] = [2, 5, 3];
      const tables = rotaryTables(dims, 10000, 128);
      const x = randn(B * T * H * hd, hd + dims);
      const w = randn(B * T * H * hd, 7);
      const run = async () => {
        const xt = tf.tensor4d(x, [B, T, H, hd]);
        const wt = tf.tensor4d(w, [B, T, H, hd]);
        const y = applyRotary(xt, tables, offset);
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(applyRotary(a, tables, offset), wt)))(xt);
        const out = [await y.data(), await g.data()];
        tf.dispose([xt, wt, y, g]);
        return out;
      };
      const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
      expect(leaked).toBe(0);
      expect(kernels).toContain(ROTARY);
      expectAllClose(other[0]!, cpu[0]!, 1e-6, 1e-6);
      expectAllClose(other[1]!, cpu[1]!, 1e-6, 1e-6);
    });
  }

  it('embedding rows equal the table rows, ids repeated', async () => {
    const [V, C] = [50, 24];
    const table = randn(V * C, 3);
    const ids = [49, 0, 7, 7, 13, 0];
    const run = async () => {
      const t = tf.tensor2d(table, [V, C]);
      const i = tf.tensor1d(ids, 'int32');
      const rows = embeddingLookup(t, i);
      const out = await rows.data();
      tf.dispose([t, i, rows]);
      return out;
    };
    const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
    expect(leaked).toBe(0);
    expect(kernels).toContain(GATHER_ROWS);
    expect(Array.from(other)).toEqual(Array.from(cpu));
  });

  it('the embedding gradient adds repeated ids in position order: the cpu backend\'s bits, the same on every run', async () => {
    const [V, C, N] = [300, 32, 512];
    const table = randn(V * C, 5);
    const dyValues = randn(N * C, 6);
    // few distinct ids, each repeated many times: the order of the additions shows in the bits
    const ids = Array.from({ length: N }, (_, i) => [3, 17, 298, 0][(i * 7) % 4]! + (i % 5 === 0 ? 1 : 0));
    const run = async () => {
      const init = tf.tensor2d(table, [V, C]);
      const t = tf.variable(init);
      init.dispose();
      const dy = tf.tensor2d(dyValues, [N, C]);
      const { value, grads } = tf.variableGrads(() => {
        const i = tf.tensor1d(ids, 'int32'); // made from CPU values, as a batch is
        return tf.sum(tf.mul(embeddingLookup(t, i), dy)) as tf.Scalar;
      }, [t]);
      const g = await grads[t.name]!.data();
      tf.dispose([t, dy, value, ...Object.values(grads)]);
      return g;
    };
    const { cpu, other, kernels, leaked } = await onCpuAnd('webgpu', run);
    expect(leaked).toBe(0);
    expect(kernels).toContain(SCATTER_ADD_ROWS);
    expect(Array.from(other)).toEqual(Array.from(cpu));
    const again = await onCpuAnd('webgpu', run);
    expect(Array.from(again.other)).toEqual(Array.from(other));
  });
});
