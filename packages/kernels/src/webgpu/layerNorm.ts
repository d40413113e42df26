// LayerNorm without weight and bias (the official `layernorm_nonparam`) and its gradient, one
// workgroup per row: μ, then Σ(x − μ)², then y, in one dispatch; composed from tfjs ops it is 7
// dispatches each way.
//   forward:  μ = Σx/C, r = 1/√(Σ(x − μ)²/C + eps), y = (x − μ)·r; keeps r
//   backward: dx = r·(dy − Σdy/C − y·Σ(dy·y)/C)
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD, type LayerNormAttrs, type LayerNormGradInputs, type LayerNormInputs } from '../kernelNames.js';
import { rowWorkgroupSize, runProgram, WGSL_COMMON, type WebGpuBackendLike } from './program.js';


const uniforms = `struct Uniforms { rows: i32, c: i32, eps: f32 };`;
const main = (WG: number): string => `@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>)`;

const FORWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
${main(WG)} {
  let row = workgroupIndex(wid, nwg);
  if (row >= uni.rows) { return; }
  let base = row * uni.c;
  let width = f32(uni.c);
  var s = 0.0;
  for (var k = i32(lid); k < uni.c; k = k + ${WG}) { s = s + x[base + k]; }
  let mean = reduceSum(lid, s) / width;
  var v = 0.0;
  for (var k = i32(lid); k < uni.c; k = k + ${WG}) { let d = x[base + k] - mean; v = v + d * d; }
  let r = 1.0 / sqrt(reduceSum(lid, v) / width + uni.eps);
  if (lid == 0u) { rstd[row] = r; }
  for (var k = i32(lid); k < uni.c; k = k + ${WG}) { y[base + k] = (x[base + k] - mean) * r; }
}`;

const BACKWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
${main(WG)} {
  let row = workgroupIndex(wid, nwg);
  if (row >= uni.rows) { return; }
  let base = row * uni.c;
  let width = f32(uni.c);
  var sd = 0.0;
  var sdy = 0.0;
  for (var k = i32(lid); k < uni.c; k = k + ${WG}) { sd = sd + dy[base + k]; sdy = sdy + dy[base + k] * y[base + k]; }
  let meanDy = reduceSum(lid, sd) / width;
  let meanDyY = reduceSum(lid, sdy) / width;
  let r = rstd[row];
  for (var k = i32(lid); k < uni.c; k = k + ${WG}) { dx[base + k] = r * (dy[base + k] - meanDy - y[base + k] * meanDyY); }
}`;

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x } = inputs as LayerNormInputs;
  const C = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, b) => a * b, 1) / C;
  return runProgram(backend as unknown as WebGpuBackendLike, {
    key: 'TokenFormerLayerNorm',
    code: FORWARD,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [...x.shape], dtype: 'float32' }, { shape: [rows, 1], dtype: 'float32' }],
    inputs: [x],
    uniforms: [{ type: 'int32', data: [rows] }, { type: 'int32', data: [C] }, { type: 'float32', data: [(attrs as unknown as LayerNormAttrs).eps] }],
    workgroups: rows,
  }); // [y [..., C], rstd [rows, 1]]
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const { dy, y, rstd } = inputs as LayerNormGradInputs;
  const C = y.shape[y.shape.length - 1]!;
  const rows = rstd.shape[0]!;
  const [dx] = runProgram(backend as unknown as WebGpuBackendLike, {
    key: 'TokenFormerLayerNormGrad',
    code: BACKWARD,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [...y.shape], dtype: 'float32' }],
    inputs: [dy, y, rstd],
    uniforms: [{ type: 'int32', data: [rows] }, { type: 'int32', data: [C] }, { type: 'float32', data: [0] }],
    workgroups: rows,
  });
  return dx as TensorInfo;
};

export const layerNormConfig: KernelConfig = { kernelName: LAYER_NORM, backendName: 'webgpu', kernelFunc: forward };
export const layerNormGradConfig: KernelConfig = { kernelName: LAYER_NORM_GRAD, backendName: 'webgpu', kernelFunc: backward };
