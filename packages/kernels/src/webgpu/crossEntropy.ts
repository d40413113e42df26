// Next-token cross-entropy and its gradient, one workgroup per row of logits. Composed from tfjs ops
// the loss keeps softmax(logits) [N, V] for the backward pass and spends about ten dispatches each
// way (softmax, gatherND, log; scatterND, multiply, subtract, the ignore mask); fused, the forward
// pass keeps only logsumexp [N] and the backward pass recomputes the softmax from the logits.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD, type CrossEntropyAttrs, type CrossEntropyGradInputs, type CrossEntropyInputs } from '../kernelNames.js';
import { rowWorkgroupSize, runProgram, WGSL_COMMON, WGSL_ENTRY, type Uniform, type WebGpuBackendLike } from './program.js';

/** −log of the smallest normal float32: the composed op's cap on one token's loss. */
const MAX_LOSS = 87.33654475055310898657;

const uniforms = `struct Uniforms { rows: i32, v: i32, ignoreIndex: i32 };`;

const FORWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> loss: array<f32>;
@group(0) @binding(1) var<storage, read_write> lse: array<f32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> targets: array<i32>;
@group(0) @binding(4) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
${WGSL_ENTRY(WG)} {
  let row = workgroupIndex(wid, nwg);
  if (row >= uni.rows) { return; }
  let base = row * uni.v;
  var m = -3.402823e38;
  for (var c = i32(lid); c < uni.v; c = c + ${WG}) { m = max(m, logits[base + c]); }
  let rowMax = reduceMax(lid, m);
  var s = 0.0;
  for (var c = i32(lid); c < uni.v; c = c + ${WG}) { s = s + exp(logits[base + c] - rowMax); }
  let l = rowMax + log(reduceSum(lid, s));
  if (lid == 0u) {
    lse[row] = l;
    let t = targets[row];
    if (t == uni.ignoreIndex) { loss[row] = 0.0; }
    else if (t < 0 || t >= uni.v) { loss[row] = ${MAX_LOSS}; } // as the composed op: a target probability of 0
    else { loss[row] = min(l - logits[base + t], ${MAX_LOSS}); }
  }
}`;

const BACKWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> targets: array<i32>;
@group(0) @binding(4) var<storage, read> lse: array<f32>;
@group(0) @binding(5) var<uniform> uni: Uniforms;
${WGSL_ENTRY(WG)} {
  let row = i32(wid.x + wid.y * nwg.x);
  if (row >= uni.rows) { return; }
  let base = row * uni.v;
  let t = targets[row];
  var g = dy[row];
  if (t == uni.ignoreIndex) { g = 0.0; }
  let l = lse[row];
  for (var c = i32(lid); c < uni.v; c = c + ${WG}) {
    var p = exp(logits[base + c] - l);
    if (c == t) { p = p - 1.0; }
    dx[base + c] = p * g;
  }
}`;

const ints = (...values: number[]): Uniform[] => values.map((v) => ({ type: 'int32', data: [v] }));

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { logits, targets } = inputs as CrossEntropyInputs;
  const [N, V] = logits.shape as [number, number];
  return runProgram(backend as unknown as WebGpuBackendLike, {
    key: 'TokenFormerCrossEntropy',
    code: FORWARD,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [N], dtype: 'float32' }, { shape: [N], dtype: 'float32' }],
    inputs: [logits, targets],
    uniforms: ints(N, V, (attrs as unknown as CrossEntropyAttrs).ignoreIndex),
    workgroups: N,
  }); // [loss [N], logsumexp [N]]
};

const backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, logits, targets, lse } = inputs as CrossEntropyGradInputs;
  const [N, V] = logits.shape as [number, number];
  const [dx] = runProgram(backend as unknown as WebGpuBackendLike, {
    key: 'TokenFormerCrossEntropyGrad',
    code: BACKWARD,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [N, V], dtype: 'float32' }],
    inputs: [dy, logits, targets, lse],
    uniforms: ints(N, V, (attrs as unknown as CrossEntropyAttrs).ignoreIndex),
    workgroups: N,
  });
  return dx as TensorInfo;
};

export const crossEntropyConfig: KernelConfig = { kernelName: CROSS_ENTROPY, backendName: 'webgpu', kernelFunc: forward };
export const crossEntropyGradConfig: KernelConfig = { kernelName: CROSS_ENTROPY_GRAD, backendName: 'webgpu', kernelFunc: backward };
