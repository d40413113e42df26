// GPT-NeoX rotary embeddings (rotate_half) in one elementwise dispatch; composed from tfjs ops it is
// splits, a negation, two multiplies, an add and concats, each way. The cos/sin tables go to the GPU
// once per tables object (and device) and stay there.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ROTARY, type RotaryAttrs, type RotaryInputs, type RotaryTables } from '../kernelNames.js';
import { runProgram, type Uniform, type WebGpuBackendLike, WGSL_ENTRY } from './program.js';

const WG = 64;

const CODE = (): string => `struct Uniforms { size: i32, t: i32, hd: i32, h: i32, dims: i32, offset: i32, sign: f32 };
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> cosT: array<f32>;
@group(0) @binding(3) var<storage, read> sinT: array<f32>;
@group(0) @binding(4) var<uniform> uni: Uniforms;
${WGSL_ENTRY(WG)} {
  let i = i32((wid.x + wid.y * nwg.x) * ${WG}u + lid);
  if (i >= uni.size) { return; }
  let d = i % uni.hd;
  if (d >= uni.dims) { y[i] = x[i]; return; }
  let half = uni.dims / 2;
  let pos = uni.offset + (i / (uni.hd * uni.h)) % uni.t;
  let at = pos * uni.dims + d;
  let s = uni.sign * sinT[at];
  var rotated: f32;
  if (d < half) { rotated = -x[i + half]; } else { rotated = x[i - half]; }
  y[i] = x[i] * cosT[at] + rotated * s;
}`;

const tableBuffers = new WeakMap<GPUDevice, WeakMap<RotaryTables, [GPUBuffer, GPUBuffer]>>();

function upload(device: GPUDevice, data: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.max(16, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return buffer;
}

function tablesOn(device: GPUDevice, tables: RotaryTables): [GPUBuffer, GPUBuffer] {
  let byTables = tableBuffers.get(device);
  if (!byTables) tableBuffers.set(device, (byTables = new WeakMap()));
  let buffers = byTables.get(tables);
  if (!buffers) byTables.set(tables, (buffers = [upload(device, tables.cos), upload(device, tables.sin)]));
  return buffers;
}

/** x [B, T, H, hd] → the rotated copy. */
const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WebGpuBackendLike;
  const { x } = inputs as RotaryInputs;
  const { tables, offset, sign } = attrs as unknown as RotaryAttrs;
  const [B, T, H, hd] = x.shape as [number, number, number, number];
  const size = B * T * H * hd;
  const [cos, sin] = tablesOn(b.device, tables);
  const [y] = runProgram(b, {
    key: 'TokenFormerRotary',
    code: CODE,
    workgroupSize: WG,
    outputs: [{ shape: [B, T, H, hd], dtype: 'float32' }],
    inputs: [x, cos, sin],
    uniforms: [...[size, T, hd, H, tables.dims, offset].map((v): Uniform => ({ type: 'int32', data: [v] })), { type: 'float32', data: [sign] }],
    workgroups: Math.ceil(size / WG),
  });
  return y as TensorInfo;
};

export const rotaryConfig: KernelConfig = { kernelName: ROTARY, backendName: 'webgpu', kernelFunc };
