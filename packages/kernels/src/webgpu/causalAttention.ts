// Causal softmax attention in one dispatch forward and two backward, one workgroup per query row
// (and, for dk and dv, per key row): the scores of a row live in workgroup memory, a chunk of keys at
// a time with a running max and sum (the flash-attention recurrence), so no [Tq, Tk] tensor is
// written. A query sees keys 0 .. its position, so masked keys are never visited (the composed op
// adds −1e9 to them: exp gives exactly 0 there too). Composed from tfjs ops, attention is 5
// dispatches forward with two [B, H, Tq, Tk] tensors, and about a dozen backward.
//   forward:   S = q·scale·kᵀ, P = softmax(S), o = P·v; keeps L = logsumexp(S) per query
//   backward:  D = rowsum(do ⊙ o), P = exp(S − L), dS = P ⊙ (do·vᵀ − D)
//              dq = dS·k·scale (per query row); dk = dSᵀ·q·scale, dv = Pᵀ·do (per key row)
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { CAUSAL_ATTENTION, CAUSAL_ATTENTION_GRAD, CAUSAL_ATTENTION_MAX_HEAD_SIZE, type CausalAttentionAttrs, type CausalAttentionGradInputs, type CausalAttentionInputs } from '../kernelNames.js';
import { rowWorkgroupSize, runProgram, WGSL_COMMON, WGSL_ENTRY, type Uniform, type WebGpuBackendLike } from './program.js';

/** Keys (or queries) whose scores sit in workgroup memory at once. */
const CHUNK = 512;
/** Largest head size: each thread owns MAX_HEAD_SIZE / WG dims of the accumulators. */
const MAX_HEAD_SIZE = CAUSAL_ATTENTION_MAX_HEAD_SIZE;

const uniforms = `struct Uniforms { bh: i32, tq: i32, tk: i32, hd: i32, offset: i32, scale: f32 };`;

const FORWARD = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> o: array<f32>;
@group(0) @binding(1) var<storage, read_write> lse: array<f32>;
@group(0) @binding(2) var<storage, read> q: array<f32>;
@group(0) @binding(3) var<storage, read> k: array<f32>;
@group(0) @binding(4) var<storage, read> v: array<f32>;
@group(0) @binding(5) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
var<workgroup> qs: array<f32, ${MAX_HEAD_SIZE}>;
var<workgroup> ps: array<f32, ${CHUNK}>;
${WGSL_ENTRY(WG)} {
  let w = workgroupIndex(wid, nwg);
  if (w >= uni.bh * uni.tq) { return; }
  let head = w / uni.tq;
  let i = w % uni.tq;
  let qBase = w * uni.hd;
  let kvBase = head * uni.tk * uni.hd;
  for (var d = i32(lid); d < uni.hd; d = d + ${WG}) { qs[d] = q[qBase + d] * uni.scale; }
  workgroupBarrier();
  let kEnd = min(uni.tk, uni.offset + i + 1);
  var m = -3.402823e38;
  var l = 0.0;
  var acc: array<f32, ${MAX_HEAD_SIZE / WG}>;
  for (var c0 = 0; c0 < kEnd; c0 = c0 + ${CHUNK}) {
    let cn = min(${CHUNK}, kEnd - c0);
    var cm = -3.402823e38;
    for (var j = i32(lid); j < cn; j = j + ${WG}) {
      let kb = kvBase + (c0 + j) * uni.hd;
      var s = 0.0;
      for (var d = 0; d < uni.hd; d = d + 1) { s = s + qs[d] * k[kb + d]; }
      ps[j] = s;
      cm = max(cm, s);
    }
    let newM = max(m, reduceMax(lid, cm));
    var cs = 0.0;
    for (var j = i32(lid); j < cn; j = j + ${WG}) { let p = exp(ps[j] - newM); ps[j] = p; cs = cs + p; }
    let alpha = exp(m - newM);
    l = l * alpha + reduceSum(lid, cs);
    for (var r = 0; r < ${MAX_HEAD_SIZE / WG}; r = r + 1) {
      let d = i32(lid) + r * ${WG};
      if (d < uni.hd) {
        var a = acc[r] * alpha;
        for (var j = 0; j < cn; j = j + 1) { a = a + ps[j] * v[kvBase + (c0 + j) * uni.hd + d]; }
        acc[r] = a;
      }
    }
    m = newM;
    workgroupBarrier();
  }
  for (var r = 0; r < ${MAX_HEAD_SIZE / WG}; r = r + 1) {
    let d = i32(lid) + r * ${WG};
    if (d < uni.hd) { o[qBase + d] = acc[r] / l; }
  }
  if (lid == 0u) { lse[w] = m + log(l); }
}`;

/** Per query row: dq, and D = rowsum(do ⊙ o) for the key pass. */
const BACKWARD_Q = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> dq: array<f32>;
@group(0) @binding(1) var<storage, read_write> dOut: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> q: array<f32>;
@group(0) @binding(4) var<storage, read> k: array<f32>;
@group(0) @binding(5) var<storage, read> v: array<f32>;
@group(0) @binding(6) var<storage, read> o: array<f32>;
@group(0) @binding(7) var<storage, read> lse: array<f32>;
@group(0) @binding(8) var<uniform> uni: Uniforms;
${WGSL_COMMON(WG)}
var<workgroup> qs: array<f32, ${MAX_HEAD_SIZE}>;
var<workgroup> dys: array<f32, ${MAX_HEAD_SIZE}>;
var<workgroup> ds: array<f32, ${CHUNK}>;
${WGSL_ENTRY(WG)} {
  let w = workgroupIndex(wid, nwg);
  if (w >= uni.bh * uni.tq) { return; }
  let head = w / uni.tq;
  let i = w % uni.tq;
  let qBase = w * uni.hd;
  let kvBase = head * uni.tk * uni.hd;
  var dot = 0.0;
  for (var d = i32(lid); d < uni.hd; d = d + ${WG}) {
    qs[d] = q[qBase + d] * uni.scale;
    dys[d] = dy[qBase + d];
    dot = dot + dy[qBase + d] * o[qBase + d];
  }
  let D = reduceSum(lid, dot);
  let L = lse[w];
  let kEnd = min(uni.tk, uni.offset + i + 1);
  var acc: array<f32, ${MAX_HEAD_SIZE / WG}>;
  for (var c0 = 0; c0 < kEnd; c0 = c0 + ${CHUNK}) {
    let cn = min(${CHUNK}, kEnd - c0);
    for (var j = i32(lid); j < cn; j = j + ${WG}) {
      let kb = kvBase + (c0 + j) * uni.hd;
      var s = 0.0;
      var dp = 0.0;
      for (var d = 0; d < uni.hd; d = d + 1) { s = s + qs[d] * k[kb + d]; dp = dp + dys[d] * v[kb + d]; }
      ds[j] = exp(s - L) * (dp - D);
    }
    workgroupBarrier();
    for (var r = 0; r < ${MAX_HEAD_SIZE / WG}; r = r + 1) {
      let d = i32(lid) + r * ${WG};
      if (d < uni.hd) {
        var a = acc[r];
        for (var j = 0; j < cn; j = j + 1) { a = a + ds[j] * k[kvBase + (c0 + j) * uni.hd + d]; }
        acc[r] = a;
      }
    }
    workgroupBarrier();
  }
  for (var r = 0; r < ${MAX_HEAD_SIZE / WG}; r = r + 1) {
    let d = i32(lid) + r * ${WG};
    if (d < uni.hd) { dq[qBase + d] = acc[r] * uni.scale; }
  }
  if (lid == 0u) { dOut[w] = D; }
}`;

/** Per key row j: dk and dv over the queries that see it (offset + i ≥ j). */
const BACKWARD_KV = (WG: number): string => `${uniforms}
@group(0) @binding(0) var<storage, read_write> dk: array<f32>;
@group(0) @binding(1) var<storage, read_write> dv: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> q: array<f32>;
@group(0) @binding(4) var<storage, read> k: array<f32>;
@group(0) @binding(5) var<storage, read> v: array<f32>;
@group(0) @binding(6) var<storage, read> lse: array<f32>;
@group(0) @binding(7) var<storage, read> dIn: array<f32>;
@group(0) @binding(8) var<uniform> uni: Uniforms;
var<workgroup> ks: array<f32, ${MAX_HEAD_SIZE}>;
var<workgroup> vs: array<f32, ${MAX_HEAD_SIZE}>;
var<workgroup> ps: array<f32, ${CHUNK}>;
var<workgroup> ds: array<f32, ${CHUNK}>;
${WGSL_ENTRY(WG)} {
  let w = i32(wid.x + wid.y * nwg.x);
  if (w >= uni.bh * uni.tk) { return; }
  let head = w / uni.tk;
  let j = w % uni.tk;
  let kvRow = w * uni.hd;
  let qHead = head * uni.tq;
  for (var d = i32(lid); d < uni.hd; d = d + ${WG}) { ks[d] = k[kvRow + d]; vs[d] = v[kvRow + d]; }
  workgroupBarrier();
  let iStart = max(0, j - uni.offset);
  var accK: array<f32, ${MAX_HEAD_SIZE / WG}>;
  var accV: array<f32, ${MAX_HEAD_SIZE / WG}>;
  for (var c0 = iStart; c0 < uni.tq; c0 = c0 + ${CHUNK}) {
    let cn = min(${CHUNK}, uni.tq - c0);
    for (var ii = i32(lid); ii < cn; ii = ii + ${WG}) {
      let row = qHead + c0 + ii;
      let qb = row * uni.hd;
      var s = 0.0;
      var dp = 0.0;
      for (var d = 0; d < uni.hd; d = d + 1) { s = s + (q[qb + d] * uni.scale) * ks[d]; dp = dp + dy[qb + d] * vs[d]; }
      let p = exp(s - lse[row]);
      ps[ii] = p;
      ds[ii] = p * (dp - dIn[row]);
    }
    workgroupBarrier();
    for (var r = 0; r < ${MAX_HEAD_SIZE / WG}; r = r + 1) {
      let d = i32(lid) + r * ${WG};
      if (d < uni.hd) {
        var ak = accK[r];
        var av = accV[r];
        for (var ii = 0; ii < cn; ii = ii + 1) {
          let qb = (qHead + c0 + ii) * uni.hd + d;
          ak = ak + ds[ii] * q[qb];
          av = av + ps[ii] * dy[qb];
        }
        accK[r] = ak;
        accV[r] = av;
      }
    }
    workgroupBarrier();
  }
  for (var r = 0; r < ${MAX_HEAD_SIZE / WG}; r = r + 1) {
    let d = i32(lid) + r * ${WG};
    if (d < uni.hd) { dk[kvRow + d] = accK[r] * uni.scale; dv[kvRow + d] = accV[r]; }
  }
}`;

interface Shapes {
  B: number;
  H: number;
  Tq: number;
  Tk: number;
  hd: number;
}

function uniformsOf({ B, H, Tq, Tk, hd }: Shapes, { offset, scale }: CausalAttentionAttrs): Uniform[] {
  return [...[B * H, Tq, Tk, hd, offset].map((v): Uniform => ({ type: 'int32', data: [v] })), { type: 'float32', data: [scale] }];
}

function shapesOf(q: TensorInfo, k: TensorInfo): Shapes {
  const [B, H, Tq, hd] = q.shape as [number, number, number, number];
  return { B, H, Tq, Tk: k.shape[2]!, hd };
}

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const { q, k, v } = inputs as CausalAttentionInputs;
  const s = shapesOf(q, k);
  return runProgram(backend as unknown as WebGpuBackendLike, {
    key: 'TokenFormerCausalAttention',
    code: FORWARD,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [...q.shape], dtype: 'float32' }, { shape: [s.B, s.H, s.Tq], dtype: 'float32' }],
    inputs: [q, k, v],
    uniforms: uniformsOf(s, attrs as unknown as CausalAttentionAttrs),
    workgroups: s.B * s.H * s.Tq,
  }); // [o [B, H, Tq, hd], logsumexp [B, H, Tq]]
};

const backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WebGpuBackendLike;
  const { dy, q, k, v, o, lse } = inputs as CausalAttentionGradInputs;
  const s = shapesOf(q, k);
  const uni = uniformsOf(s, attrs as unknown as CausalAttentionAttrs);
  const [dq, D] = runProgram(b, {
    key: 'TokenFormerCausalAttentionGradQ',
    code: BACKWARD_Q,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [...q.shape], dtype: 'float32' }, { shape: [s.B * s.H * s.Tq], dtype: 'float32' }],
    inputs: [dy, q, k, v, o, lse],
    uniforms: uni,
    workgroups: s.B * s.H * s.Tq,
  }) as [TensorInfo, TensorInfo];
  const [dk, dv] = runProgram(b, {
    key: 'TokenFormerCausalAttentionGradKV',
    code: BACKWARD_KV,
    workgroupSize: rowWorkgroupSize(backend as unknown as WebGpuBackendLike),
    outputs: [{ shape: [...k.shape], dtype: 'float32' }, { shape: [...v.shape], dtype: 'float32' }],
    inputs: [dy, q, k, v, lse, D],
    uniforms: uni,
    workgroups: s.B * s.H * s.Tk,
  }) as [TensorInfo, TensorInfo];
  b.disposeData(D.dataId);
  return [dq, dk, dv];
};

export const causalAttentionConfig: KernelConfig = { kernelName: CAUSAL_ATTENTION, backendName: 'webgpu', kernelFunc: forward };
export const causalAttentionGradConfig: KernelConfig = { kernelName: CAUSAL_ATTENTION_GRAD, backendName: 'webgpu', kernelFunc: backward };
