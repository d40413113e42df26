// Pattention's two other normalisations Θ, each one dispatch forward and one backward (one workgroup
// per score row); composed from tfjs ops gelu_l2_norm is about 14 dispatches each way, and softmax's
// gradient 4.
//   gelu_l2_norm: g = GeLU(s), w = g/‖g‖, value = τ·w;  ds = τ·inv·(dy − w·Σ(dy·w)) ⊙ GeLU'(s)
//   softmax:      value = τ·softmax(s);                  ds = value ⊙ (dy − Σ(dy·value)/τ)
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import {
  GELU_L2_NORM,
  GELU_L2_NORM_GRAD,
  SOFTMAX_NORM,
  SOFTMAX_NORM_GRAD,
  type GeluL2NormAttrs,
  type GeluL2NormGradInputs,
  type GeluL2NormInputs,
  type SoftmaxNormGradInputs,
  type SoftmaxNormInputs,
} from '../kernelNames.js';
import { runRowKernel, WGSL_COMMON, WGSL_ENTRY } from './program.js';
import { WGSL_ERF } from './wgslMath.js';

const header = (WG: number, bindings: string): string => `struct Uniforms { rows: i32, n: i32, tau: f32 };
${bindings}
${WGSL_COMMON(WG)}
${WGSL_ERF}
fn gelu(s: f32) -> f32 { return s * 0.5 * (1.0 + erf(s * 0.7071067811865476)); }
fn geluDerivative(s: f32) -> f32 { return 0.5 * (1.0 + erf(s * 0.7071067811865476)) + s * exp(-0.5 * s * s) * 0.3989422804014327; }
${WGSL_ENTRY(WG)} {
  let row = workgroupIndex(wid, nwg);
  if (row >= uni.rows) { return; }
  let base = row * uni.n;`;

const loop = (WG: number, body: string): string => `for (var c = i32(lid); c < uni.n; c = c + ${WG}) { ${body} }`;

const GELU_L2_FORWARD = (WG: number): string => `${header(WG, `@group(0) @binding(0) var<storage, read_write> value: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> inv: array<f32>;
@group(0) @binding(3) var<storage, read> scores: array<f32>;
@group(0) @binding(4) var<uniform> uni: Uniforms;`)}
  var ss = 0.0;
  ${loop(WG, 'let g = gelu(scores[base + c]); ss = ss + g * g;')}
  let norm = sqrt(reduceSum(lid, ss));
  let r = select(0.0, 1.0 / norm, norm > 0.0);
  if (lid == 0u) { inv[row] = r; }
  ${loop(WG, 'let unit = gelu(scores[base + c]) * r; w[base + c] = unit; value[base + c] = unit * uni.tau;')}
}`;

const GELU_L2_BACKWARD = (WG: number): string => `${header(WG, `@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> scores: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read> inv: array<f32>;
@group(0) @binding(5) var<uniform> uni: Uniforms;`)}
  var dw = 0.0;
  ${loop(WG, 'dw = dw + dy[base + c] * w[base + c];')}
  let dot = reduceSum(lid, dw);
  let scale = inv[row] * uni.tau;
  ${loop(WG, 'dx[base + c] = (dy[base + c] - w[base + c] * dot) * scale * geluDerivative(scores[base + c]);')}
}`;

const SOFTMAX_FORWARD = (WG: number): string => `${header(WG, `@group(0) @binding(0) var<storage, read_write> value: array<f32>;
@group(0) @binding(1) var<storage, read> scores: array<f32>;
@group(0) @binding(2) var<uniform> uni: Uniforms;`)}
  var m = -3.402823e38;
  ${loop(WG, 'm = max(m, scores[base + c]);')}
  let rowMax = reduceMax(lid, m);
  var se = 0.0;
  ${loop(WG, 'se = se + exp(scores[base + c] - rowMax);')}
  let scale = uni.tau / reduceSum(lid, se);
  ${loop(WG, 'value[base + c] = exp(scores[base + c] - rowMax) * scale;')}
}`;

const SOFTMAX_BACKWARD = (WG: number): string => `${header(WG, `@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> value: array<f32>;
@group(0) @binding(3) var<uniform> uni: Uniforms;`)}
  var dv = 0.0;
  ${loop(WG, 'dv = dv + dy[base + c] * value[base + c];')}
  let dot = reduceSum(lid, dv) / uni.tau;
  ${loop(WG, 'dx[base + c] = value[base + c] * (dy[base + c] - dot);')}
}`;

const tauOf = (attrs: unknown): number => (attrs as GeluL2NormAttrs).tau;

const geluL2Forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { scores } = inputs as GeluL2NormInputs;
  const [M, n] = scores.shape as [number, number];
  return runRowKernel(backend, GELU_L2_NORM, GELU_L2_FORWARD, [scores], [[M, n], [M, n], [M, 1]], tauOf(attrs)); // [value, w, inv]
};
const geluL2Backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, scores, w, inv } = inputs as GeluL2NormGradInputs;
  return runRowKernel(backend, GELU_L2_NORM_GRAD, GELU_L2_BACKWARD, [dy, scores, w, inv], [dy.shape], tauOf(attrs))[0]!;
};
const softmaxForward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { scores } = inputs as SoftmaxNormInputs;
  return runRowKernel(backend, SOFTMAX_NORM, SOFTMAX_FORWARD, [scores], [scores.shape], tauOf(attrs))[0]!;
};
const softmaxBackward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, value } = inputs as SoftmaxNormGradInputs;
  return runRowKernel(backend, SOFTMAX_NORM_GRAD, SOFTMAX_BACKWARD, [dy, value], [dy.shape], tauOf(attrs))[0]!;
};

export const normConfigs: KernelConfig[] = [
  { kernelName: GELU_L2_NORM, backendName: 'webgpu', kernelFunc: geluL2Forward },
  { kernelName: GELU_L2_NORM_GRAD, backendName: 'webgpu', kernelFunc: geluL2Backward },
  { kernelName: SOFTMAX_NORM, backendName: 'webgpu', kernelFunc: softmaxForward },
  { kernelName: SOFTMAX_NORM_GRAD, backendName: 'webgpu', kernelFunc: softmaxBackward },
];
