// One AdamW update of one parameter in one dispatch; composed from tfjs ops it is 14 (each a pass over
// the parameter through a new buffer), for every parameter, every step.
//   decayed = p·(1 − lr·wd); m' = β1·m + (1 − β1)·g; v' = β2·v + (1 − β2)·g²
//   p' = decayed − m' / (√v' / √(1 − β2^t) + eps) · lr / (1 − β1^t)
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { ADAMW, type AdamWAttrs, type AdamWInputs } from '../kernelNames.js';
import { runProgram, type Uniform, type WebGpuBackendLike, WGSL_ENTRY } from './program.js';

const WG = 64;

const CODE = (): string => `struct Uniforms { size: i32, beta1: f32, beta2: f32, eps: f32, decay: f32, stepSize: f32, bias2Sqrt: f32 };
@group(0) @binding(0) var<storage, read_write> pOut: array<f32>;
@group(0) @binding(1) var<storage, read_write> mOut: array<f32>;
@group(0) @binding(2) var<storage, read_write> vOut: array<f32>;
@group(0) @binding(3) var<storage, read> p: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read> m: array<f32>;
@group(0) @binding(6) var<storage, read> v: array<f32>;
@group(0) @binding(7) var<uniform> uni: Uniforms;
${WGSL_ENTRY(WG)} {
  let i = i32((wid.x + wid.y * nwg.x) * ${WG}u + lid);
  if (i >= uni.size) { return; }
  let gi = g[i];
  let mNew = m[i] * uni.beta1 + gi * (1.0 - uni.beta1);
  let vNew = v[i] * uni.beta2 + (gi * gi) * (1.0 - uni.beta2);
  let denom = sqrt(vNew) / uni.bias2Sqrt + uni.eps;
  mOut[i] = mNew;
  vOut[i] = vNew;
  pOut[i] = p[i] * uni.decay - (mNew / denom) * uni.stepSize;
}`;

const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
  const { param, grad, expAvg, expAvgSq } = inputs as AdamWInputs;
  const a = attrs as unknown as AdamWAttrs;
  const size = param.shape.reduce((x, y) => x * y, 1);
  const f32 = { shape: [...param.shape], dtype: 'float32' as const };
  return runProgram(backend as unknown as WebGpuBackendLike, {
    key: 'TokenFormerAdamW',
    code: CODE,
    workgroupSize: WG,
    outputs: [f32, f32, f32],
    inputs: [param, grad, expAvg, expAvgSq],
    uniforms: [{ type: 'int32', data: [size] }, ...[a.beta1, a.beta2, a.eps, a.decay, a.stepSize, a.bias2Sqrt].map((x): Uniform => ({ type: 'float32', data: [x] }))],
    workgroups: Math.ceil(size / WG),
  }); // [param, exp_avg, exp_avg_sq]
};

export const adamWConfig: KernelConfig = { kernelName: ADAMW, backendName: 'webgpu', kernelFunc };
