// LayerNorm without weight and bias (the official `layernorm_nonparam`) and its gradient, one
// workgroup per row: μ, then Σ(x − μ)², then y, in one dispatch; composed from tfjs ops it is 7
// dispatches each way.
//   forward:  μ = Σx/C, r = 1/√(Σ(x − μ)²/C + eps), y = (x − μ)·r; keeps r
//   backward: dx = r·(dy − Σdy/C − y·Σ(dy·y)/C)
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD, type LayerNormAttrs, type LayerNormGradInputs, type LayerNormInputs } from '../kernelNames.js';
import { runRowKernel, WGSL_COMMON, WGSL_ENTRY } from './program.js';


const uniforms = `struct Uniforms { rows: i32, c: i32, eps: f32 };`;

const FORWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
${WGSL_ENTRY(WG)} {
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
${WGSL_ENTRY(WG)} {
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
  const rows = x.shape.reduce((a, b) => a * b, 1) / x.shape[x.shape.length - 1]!;
  return runRowKernel(backend, 'TokenFormerLayerNorm', FORWARD, [x], [[...x.shape], [rows, 1]], (attrs as unknown as LayerNormAttrs).eps); // [y [..., C], rstd [rows, 1]]
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const { dy, y, rstd } = inputs as LayerNormGradInputs;
  return runRowKernel(backend, 'TokenFormerLayerNormGrad', BACKWARD, [dy, y, rstd], [[...y.shape]], 0)[0]!;
};

export const layerNormConfig: KernelConfig = { kernelName: LAYER_NORM, backendName: 'webgpu', kernelFunc: forward };
export const layerNormGradConfig: KernelConfig = { kernelName: LAYER_NORM_GRAD, backendName: 'webgpu', kernelFunc: backward };
