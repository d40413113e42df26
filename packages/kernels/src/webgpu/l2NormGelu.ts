// Pattention's l2_norm_gelu Θ and its gradient, one workgroup per score row. Composed from tfjs ops
// it is 14 dispatches forward and 13 backward, each a pass over the [M, n] scores through a new
// buffer; here it is one each way.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { L2_NORM_GELU, L2_NORM_GELU_GRAD, type L2NormGeluAttrs, type L2NormGeluGradInputs, type L2NormGeluInputs } from '../kernelNames.js';
import { runRowKernel, WGSL_COMMON, WGSL_ENTRY } from './program.js';
import { WGSL_ERF } from './wgslMath.js';


const uniforms = `struct Uniforms { rows: i32, n: i32, tau: f32 };`;

/** value = GeLU(τu), u = s/‖s‖, deriv = GeLU'(τu), inv = 1/‖s‖ (0 for a zero row). */
const FORWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> value: array<f32>;
@group(0) @binding(1) var<storage, read_write> u: array<f32>;
@group(0) @binding(2) var<storage, read_write> deriv: array<f32>;
@group(0) @binding(3) var<storage, read_write> inv: array<f32>;
@group(0) @binding(4) var<storage, read> scores: array<f32>;
@group(0) @binding(5) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
${WGSL_ERF}
${WGSL_ENTRY(WG)} {
  let row = workgroupIndex(wid, nwg);
  if (row >= uni.rows) { return; }
  let base = row * uni.n;
  var ss = 0.0;
  for (var c = i32(lid); c < uni.n; c = c + ${WG}) { let s = scores[base + c]; ss = ss + s * s; }
  let norm = sqrt(reduceSum(lid, ss));
  let r = select(0.0, 1.0 / norm, norm > 0.0);
  if (lid == 0u) { inv[row] = r; }
  for (var c = i32(lid); c < uni.n; c = c + ${WG}) {
    let unit = scores[base + c] * r;
    let z = unit * uni.tau;
    let cdf = 0.5 * (1.0 + erf(z * 0.7071067811865476));
    u[base + c] = unit;
    value[base + c] = z * cdf;
    deriv[base + c] = cdf + z * exp(-0.5 * z * z) * 0.3989422804014327;
  }
}`;

/** dx = τ·inv·(g − u·Σ(g·u)) with g = dy·deriv. */
const BACKWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> u: array<f32>;
@group(0) @binding(3) var<storage, read> deriv: array<f32>;
@group(0) @binding(4) var<storage, read> inv: array<f32>;
@group(0) @binding(5) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
${WGSL_ENTRY(WG)} {
  let row = workgroupIndex(wid, nwg);
  if (row >= uni.rows) { return; }
  let base = row * uni.n;
  var gu = 0.0;
  for (var c = i32(lid); c < uni.n; c = c + ${WG}) { gu = gu + dy[base + c] * deriv[base + c] * u[base + c]; }
  let dot = reduceSum(lid, gu);
  let scale = inv[row] * uni.tau;
  for (var c = i32(lid); c < uni.n; c = c + ${WG}) {
    let g = dy[base + c] * deriv[base + c];
    dx[base + c] = (g - u[base + c] * dot) * scale;
  }
}`;

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { scores } = inputs as L2NormGeluInputs;
  const [M, n] = scores.shape as [number, number];
  const tau = (attrs as unknown as L2NormGeluAttrs).tau;
  return runRowKernel(backend, 'TokenFormerL2NormGelu', FORWARD, [scores], [[M, n], [M, n], [M, n], [M, 1]], tau); // [value, u, GeLU'(τu), inv]
};

const backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, u, deriv, inv } = inputs as L2NormGeluGradInputs;
  return runRowKernel(backend, 'TokenFormerL2NormGeluGrad', BACKWARD, [dy, u, deriv, inv], [u.shape], (attrs as unknown as L2NormGeluAttrs).tau)[0]!;
};

export const l2NormGeluConfig: KernelConfig = { kernelName: L2_NORM_GELU, backendName: 'webgpu', kernelFunc: forward };
export const l2NormGeluGradConfig: KernelConfig = { kernelName: L2_NORM_GELU_GRAD, backendName: 'webgpu', kernelFunc: backward };
