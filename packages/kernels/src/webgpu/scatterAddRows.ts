// The embedding gradient without atomics: one thread per output element [v, c] adds dy's rows of
// id v, in position order (`order`, `starts` from rowOrder), so every run gives the same bits, and
// the same bits as the cpu backend's sequential scatterND. Rows no position has are written 0.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SCATTER_ADD_ROWS, type ScatterAddRowsInputs } from '../kernelNames.js';
import { runProgram, type WebGpuBackendLike, WGSL_ENTRY } from './program.js';

const WG = 64;

const CODE = (): string => `struct Uniforms { size: i32, c: i32 };
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> order: array<i32>;
@group(0) @binding(3) var<storage, read> starts: array<i32>;
@group(0) @binding(4) var<uniform> uni: Uniforms;
${WGSL_ENTRY(WG)} {
  let i = i32((wid.x + wid.y * nwg.x) * ${WG}u + lid);
  if (i >= uni.size) { return; }
  let v = i / uni.c;
  let c = i % uni.c;
  var acc = 0.0;
  for (var k = starts[v]; k < starts[v + 1]; k++) {
    acc += dy[order[k] * uni.c + c];
  }
  y[i] = acc;
}`;

/** dy [N, C] float32, order [N] int32, starts [V + 1] int32 → [V, C]. */
const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebGpuBackendLike;
  const { dy, order, starts } = inputs as ScatterAddRowsInputs;
  const C = dy.shape[1]!;
  const V = starts.shape[0]! - 1;
  const [y] = runProgram(b, {
    key: 'TokenFormerScatterAddRows',
    code: CODE,
    workgroupSize: WG,
    outputs: [{ shape: [V, C], dtype: 'float32' }],
    inputs: [dy, order, starts],
    uniforms: [V * C, C].map((v) => ({ type: 'int32' as const, data: [v] })),
    workgroups: Math.ceil((V * C) / WG),
  });
  return y as TensorInfo;
};

export const scatterAddRowsConfig: KernelConfig = { kernelName: SCATTER_ADD_ROWS, backendName: 'webgpu', kernelFunc };
