// a · b with transpose flags. On SwiftShader (a CPU behind WebGPU) tfjs's matMul is slow: its tiled
// shader synchronises each tile with workgroup barriers, which SwiftShader runs by switching between
// emulated threads (a [508, 128] × [128, 2048] product took 1.1 s there, 0.24 GFLOP/s). This one has
// no workgroup memory and no barrier: each thread accumulates a 4 × 4 block of the product from
// global memory, which the CPU's caches serve. On a real GPU the kernel runs tfjs's own BatchMatMul
// (tiled for GPUs), until a GPU measurement says otherwise.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { MATMUL, type MatMulAttrs, type MatMulInputs } from '../kernelNames.js';
import { isSwiftShader, runProgram, type Uniform, type WebGpuBackendLike, WGSL_ENTRY } from './program.js';

const WG = 64;

const CODE = (): string => `struct Uniforms { m: i32, n: i32, k: i32, ta: i32, tb: i32 };
@group(0) @binding(0) var<storage, read_write> c: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<uniform> uni: Uniforms;
${WGSL_ENTRY(WG)} {
  let t = i32((wid.x + wid.y * nwg.x) * ${WG}u + lid);
  let tilesN = (uni.n + 3) / 4;
  let row0 = (t / tilesN) * 4;
  let col0 = (t % tilesN) * 4;
  if (row0 >= uni.m) { return; }
  // element strides: a's (row, k) and b's (k, col), for either layout
  let aRow = select(uni.k, 1, uni.ta == 1);
  let aK = select(1, uni.m, uni.ta == 1);
  let bK = select(uni.n, 1, uni.tb == 1);
  let bCol = select(1, uni.k, uni.tb == 1);
  // rows and columns past the edge read the last one (and are not written)
  let r0 = row0 * aRow;
  let r1 = min(row0 + 1, uni.m - 1) * aRow;
  let r2 = min(row0 + 2, uni.m - 1) * aRow;
  let r3 = min(row0 + 3, uni.m - 1) * aRow;
  let c0 = col0 * bCol;
  let c1 = min(col0 + 1, uni.n - 1) * bCol;
  let c2 = min(col0 + 2, uni.n - 1) * bCol;
  let c3 = min(col0 + 3, uni.n - 1) * bCol;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var kk = 0; kk < uni.k; kk = kk + 1) {
    let bk = kk * bK;
    let bv = vec4<f32>(b[bk + c0], b[bk + c1], b[bk + c2], b[bk + c3]);
    let ak = kk * aK;
    acc0 = acc0 + a[r0 + ak] * bv;
    acc1 = acc1 + a[r1 + ak] * bv;
    acc2 = acc2 + a[r2 + ak] * bv;
    acc3 = acc3 + a[r3 + ak] * bv;
  }
  var rows = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var r = 0; r < 4; r = r + 1) {
    let row = row0 + r;
    if (row >= uni.m) { break; }
    for (var j = 0; j < 4; j = j + 1) {
      if (col0 + j < uni.n) { c[row * uni.n + col0 + j] = rows[r][j]; }
    }
  }
}`;

const kernelFunc: KernelFunc = (args) => {
  const { inputs, attrs, backend } = args;
  const b = backend as unknown as WebGpuBackendLike;
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  if (!isSwiftShader(b)) return tf.getKernel('BatchMatMul', 'webgpu')!.kernelFunc(args);
  const { a, b: bm } = inputs as MatMulInputs;
  const [M, K] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const N = transposeB ? bm.shape[0]! : bm.shape[1]!;
  const threads = Math.ceil(M / 4) * Math.ceil(N / 4);
  const [c] = runProgram(b, {
    key: 'TokenFormerMatMul',
    code: CODE,
    workgroupSize: WG,
    outputs: [{ shape: [M, N], dtype: 'float32' }],
    inputs: [a, bm],
    uniforms: [M, N, K, transposeA ? 1 : 0, transposeB ? 1 : 0].map((v): Uniform => ({ type: 'int32', data: [v] })),
    workgroups: Math.ceil(threads / WG),
  });
  return c as TensorInfo;
};

export const matMulConfig: KernelConfig = { kernelName: MATMUL, backendName: 'webgpu', kernelFunc };
