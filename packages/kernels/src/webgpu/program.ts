/// <reference types="@webgpu/types" />
// Runs a WGSL compute shader of ours on tfjs-backend-webgpu's device, in its command stream: the
// inputs are tfjs tensors (their GPU buffers bound as read-only storage), the outputs new tensors
// (one or more: tfjs's own programs write exactly one, our fused kernels several), and the uniforms
// go through the backend's own uniform pool. Pipelines are compiled once per device and shader.
import { env, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import { countDispatch } from './counter.js';

/** The members of tfjs-backend-webgpu 4.x's WebGPUBackend this runner uses. */
export interface WebGpuBackendLike {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { resource?: unknown; values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType): TensorInfo;
  uploadToGPU(dataId: object): void;
  makeUniforms(uniforms: Uniform[]): GPUBufferBinding;
  commandQueueOwnedIds: WeakSet<object>;
  ensureCommandEncoderReady(): void;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  endComputePassEncoder(): void;
  submitQueue(): void;
  dispatchCountInPass: number;
  disposeData(dataId: object, force?: boolean): boolean;
  adapterInfo?: { vendor?: string; architecture?: string };
}

/** One uniform field, as the backend's makeUniforms takes them (scalars here, packed in order). */
export interface Uniform {
  type: 'int32' | 'float32' | 'uint32';
  data: number[];
}

export interface ProgramSpec {
  /** Unique per shader source for a workgroup size (the pipeline cache's key, with the size). */
  key: string;
  /**
   * WGSL for `workgroupSize` threads per workgroup, entry point `main`: bindings 0..outputs-1 the
   * outputs (read_write), then the inputs (read), then the uniforms.
   */
  code: (workgroupSize: number) => string;
  workgroupSize: number;
  outputs: { shape: number[]; dtype: DataType }[];
  inputs: (TensorInfo | GPUBuffer)[];
  uniforms: Uniform[];
  /** Workgroups in x (and y, for more than 65,535). */
  workgroups: number;
}

const MEMBERS = ['device', 'tensorMap', 'makeTensorInfo', 'uploadToGPU', 'makeUniforms', 'ensureCommandEncoderReady', 'endComputePassEncoder', 'submitQueue', 'disposeData'] as const;

/** Whether `backend` is a WebGPU backend with the members above (tfjs-backend-webgpu 4.x). */
export function isWebGpuBackendLike(backend: unknown): backend is WebGpuBackendLike {
  return typeof backend === 'object' && backend !== null && MEMBERS.every((m) => m in backend);
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function pipelineFor(device: GPUDevice, spec: ProgramSpec): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  const key = `${spec.key}/${spec.workgroupSize}`;
  let pipeline = cache.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ code: spec.code(spec.workgroupSize), label: key });
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
    cache.set(key, pipeline);
  }
  return pipeline;
}

/**
 * Threads per workgroup for the row kernels (one workgroup per row, reduced in workgroup memory):
 * 128 on a GPU; 8 on SwiftShader, the CPU adapter of tests and headless browsers, where a workgroup
 * barrier switches between its emulated threads (measured there: a LayerNorm step 8x faster than
 * with 128, and 1.3x faster than with 32).
 */
export function rowWorkgroupSize(backend: WebGpuBackendLike): number {
  return isSwiftShader(backend) ? 8 : 128;
}

/** Whether the adapter is SwiftShader (Chromium's and Dawn's software Vulkan: a CPU, not a GPU). */
export function isSwiftShader(backend: WebGpuBackendLike): boolean {
  return backend.adapterInfo?.architecture === 'swiftshader';
}

/** Most workgroups per dispatch dimension (WebGPU's default limit). */
const MAX_PER_DIM = 65535;

/** Records one dispatch of `spec` into the backend's open compute pass; returns the new output tensors. */
export function runProgram(backend: WebGpuBackendLike, spec: ProgramSpec): TensorInfo[] {
  const outputs = spec.outputs.map((o) => backend.makeTensorInfo(o.shape, o.dtype));
  if (spec.workgroups === 0) return outputs;
  const buffers: GPUBuffer[] = [];
  for (const t of [...outputs, ...spec.inputs]) {
    if (isTensorInfo(t)) {
      backend.uploadToGPU(t.dataId);
      backend.commandQueueOwnedIds.add(t.dataId);
      buffers.push(backend.tensorMap.get(t.dataId)!.resource as GPUBuffer);
    } else {
      buffers.push(t);
    }
  }
  const pipeline = pipelineFor(backend.device, spec);
  const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
  entries.push({ binding: buffers.length, resource: backend.makeUniforms(spec.uniforms) });
  const bindGroup = backend.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  backend.ensureCommandEncoderReady();
  if (!backend.computePassEncoder) backend.computePassEncoder = backend.commandEncoder!.beginComputePass({});
  const x = Math.min(spec.workgroups, MAX_PER_DIM);
  backend.computePassEncoder.setPipeline(pipeline);
  backend.computePassEncoder.setBindGroup(0, bindGroup);
  backend.computePassEncoder.dispatchWorkgroups(x, Math.ceil(spec.workgroups / x));
  backend.dispatchCountInPass++;
  countDispatch(outputs);
  if (backend.dispatchCountInPass >= env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE')) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
  return outputs;
}

function isTensorInfo(t: TensorInfo | GPUBuffer): t is TensorInfo {
  return (t as TensorInfo).dataId !== undefined;
}

/**
 * The entry point of every kernel of ours: `lid` the thread in its workgroup, `wid` and `nwg` the
 * workgroup and the dispatch's size (x and y: see `runProgram`).
 */
export const WGSL_ENTRY = (WG: number): string =>
  `@compute @workgroup_size(${WG})\nfn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>)`;

/**
 * One dispatch of a row kernel: one workgroup per row of `inputs[0]` (its last axis the row), with
 * the uniforms { rows: i32, width: i32, scalar: f32 } (named as the kernel likes), float32 outputs of
 * the given shapes. The row kernels' shared runner (Θ, LayerNorm).
 */
export function runRowKernel(backend: unknown, key: string, code: (workgroupSize: number) => string, inputs: TensorInfo[], outputs: number[][], scalar: number): TensorInfo[] {
  const b = backend as WebGpuBackendLike;
  const x = inputs[0]!;
  const width = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((p, d) => p * d, 1) / width;
  const uniforms: Uniform[] = [{ type: 'int32', data: [rows] }, { type: 'int32', data: [width] }, { type: 'float32', data: [scalar] }];
  return runProgram(b, { key, code, workgroupSize: rowWorkgroupSize(b), outputs: outputs.map((shape) => ({ shape, dtype: 'float32' })), inputs, uniforms, workgroups: rows });
}

/**
 * The workgroup index of a dispatch of `runProgram` (x and y flattened), and the row-wise sum and max
 * of a workgroup of `size` threads through `partial`: WGSL shared by the row kernels.
 */
export const WGSL_COMMON = (size: number): string => `
var<workgroup> partial: array<f32, ${size}>;
fn workgroupIndex(wid: vec3<u32>, nwg: vec3<u32>) -> i32 { return i32(wid.x + wid.y * nwg.x); }
fn reduceSum(lid: u32, v: f32) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var k = ${size / 2}u; k > 0u; k = k >> 1u) {
    if (lid < k) { partial[lid] = partial[lid] + partial[lid + k]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}
fn reduceMax(lid: u32, v: f32) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var k = ${size / 2}u; k > 0u; k = k >> 1u) {
    if (lid < k) { partial[lid] = max(partial[lid], partial[lid + k]); }
    workgroupBarrier();
  }
  let m = partial[0];
  workgroupBarrier();
  return m;
}`;
