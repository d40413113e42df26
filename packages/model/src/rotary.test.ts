import { expectAllClose, onCpuAndWasm, randn, tf, useBackend } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRotary, rotaryTables } from './rotary.js';
import { ROTARY } from '@tokenformer/kernels';

// The wasm kernel against the composed tf ops (run on the cpu backend): forward bit for bit,
// gradient to float rounding, for partial and full rotary and a position offset (decoding).
describe('rotary kernel of the wasm backend', () => {
  afterAll(() => useBackend('cpu'));

  for (const [hd, dims, offset] of [[16, 4, 0], [16, 16, 3], [64, 16, 100]] as const) {
    it(`equals the composed ops (head ${hd}, ${dims} rotary dims, offset ${offset})`, async () => {
      const [B, T, H] = [2, 5, 3];
      const tables = rotaryTables(dims, 10000, 128);
      const x = randn(B * T * H * hd, hd + dims);
      const w = randn(B * T * H * hd, 7);
      const run = async () => {
        const xt = tf.tensor4d(x, [B, T, H, hd]);
        const wt = tf.tensor4d(w, [B, T, H, hd]);
        const y = applyRotary(xt, tables, offset);
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(applyRotary(a, tables, offset), wt)))(xt);
        const out = [(await y.data()) as Float32Array, (await g.data()) as Float32Array];
        tf.dispose([xt, wt, y, g]);
        return out;
      };
      const { cpu: composed, wasm: fused, wasmKernels, wasmLeaked } = await onCpuAndWasm(run);
      expect(wasmLeaked).toBe(0);
      expect(wasmKernels).toContain(ROTARY);
      expect(Array.from(fused[0]!)).toEqual(Array.from(composed[0]!));
      expectAllClose(fused[1]!, composed[1]!, 1e-6, 1e-7);
    });
  }
});
