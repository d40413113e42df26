// Our wasm MATMUL against a float64 reference, both builds (plain SIMD; relaxed SIMD, whose fused
// multiply-add rounds once), every transpose combination, and edge sizes around the 4x8 blocks; the
// shapes it leaves to XNNPACK give tfjs's own bits; no scratch is left on the heap.
import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATMUL } from '../kernelNames.js';
import { moduleSupported } from './heap.js';
import { MATMUL_MODULES, matMulBuild, setMatMulPolicy, useMatMulBuild, type MatMulBuild } from './matMul.js';
import { registerWasmKernels } from './register.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd'); // Node 20 (on by default from 22)

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
}

/** a · b in float64 from the row-major data, with the transposes. */
function reference(a: Float32Array, b: Float32Array, M: number, K: number, N: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[tA ? k * M + i : i * K + k]! * b[tB ? j * K + k : k * N + j]!;
      out[i * N + j] = s;
    }
  }
  return out;
}

const run = (a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean) => tf.engine().runKernel(MATMUL, { a, b }, { transposeA: tA, transposeB: tB } as unknown as NamedAttrMap) as tf.Tensor;

describe('MATMUL on wasm', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels();
    await tf.setBackend('wasm');
  });
  afterAll(() => {
    setMatMulPolicy('auto');
    useMatMulBuild(undefined);
  });

  it('validates both builds here, and detects the relaxed one first', () => {
    expect(moduleSupported(MATMUL_MODULES.plain)).toBe(true);
    expect(moduleSupported(MATMUL_MODULES.relaxed)).toBe(true);
    useMatMulBuild(undefined);
    expect(matMulBuild()).toBe('relaxed');
  });

  for (const build of ['plain', 'relaxed'] as MatMulBuild[]) {
    it(`matches a float64 reference [${build}]: transposes, and sizes around the 4x8 blocks`, () => {
      useMatMulBuild(build);
      setMatMulPolicy('always');
      const heap = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      for (const [M, K, N] of [[1, 1, 4], [3, 5, 8], [4, 7, 12], [5, 16, 20], [9, 33, 24], [64, 64, 64], [67, 130, 36]] as const) {
        for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
          const [ad, bd] = [values(M * K, M + K), values(K * N, K + N + 1)];
          const a = tf.tensor2d(ad, tA ? [K, M] : [M, K]);
          const b = tf.tensor2d(bd, tB ? [N, K] : [K, N]);
          const c = run(a, b, tA, tB);
          expect(c.shape).toEqual([M, N]);
          const got = c.dataSync();
          const want = reference(ad, bd, M, K, N, tA, tB);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
          expect(worst, `${M}x${K}x${N} tA=${tA} tB=${tB}`).toBeLessThan(1e-5);
          tf.dispose([a, b, c]);
        }
      }
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(heap); // the scratch is freed
    });
  }

  it('the two builds agree within float rounding', () => {
    setMatMulPolicy('always');
    const a = tf.tensor2d(values(96 * 128, 1), [96, 128]);
    const b = tf.tensor2d(values(128 * 40, 2), [128, 40]);
    const out: Float32Array[] = [];
    for (const build of ['plain', 'relaxed'] as MatMulBuild[]) {
      useMatMulBuild(build);
      const c = run(a, b, false, false);
      out.push(c.dataSync() as Float32Array);
      c.dispose();
    }
    for (let i = 0; i < out[0]!.length; i++) expect(Math.abs(out[0]![i]! - out[1]![i]!)).toBeLessThan(1e-5 * (1 + Math.abs(out[0]![i]!)));
    tf.dispose([a, b]);
  });

  it('leaves what it does not take to XNNPACK, with its bits (N not a multiple of 4, or the policy)', () => {
    useMatMulBuild(undefined);
    const a = tf.tensor2d(values(70 * 9, 3), [70, 9]);
    const b = tf.tensor2d(values(9 * 6, 4), [9, 6]);
    const want = tf.matMul(a, b);
    setMatMulPolicy('auto');
    const got = run(a, b, false, false);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    setMatMulPolicy('never');
    const b8 = tf.tensor2d(values(9 * 8, 5), [9, 8]);
    const got8 = run(a, b8, false, false);
    const want8 = tf.matMul(a, b8);
    expect(Array.from(got8.dataSync())).toEqual(Array.from(want8.dataSync()));
    tf.dispose([a, b, want, got, b8, got8, want8]);
  });
});
