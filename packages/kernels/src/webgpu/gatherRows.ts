// Embedding rows by id, one thread per output element. Ids still on the CPU (as a batch of token ids
// is, when it arrives) are range-checked before anything is dispatched, as on wasm; ids the GPU made
// are not read back for the check (that would stall the queue), and an id outside the table there
// gives a zero row, as tfjs-backend-webgpu's own gather does.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelInputError } from '../errors.js';
import { cpuResidentInt32 } from '../rowOrder.js';
import { GATHER_ROWS, type GatherRowsInputs } from '../kernelNames.js';
import { runProgram, type WebGpuBackendLike, WGSL_ENTRY } from './program.js';

const WG = 64;

const CODE = (): string => `struct Uniforms { size: i32, c: i32, v: i32 };
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read> ids: array<i32>;
@group(0) @binding(3) var<uniform> uni: Uniforms;
${WGSL_ENTRY(WG)} {
  let i = i32((wid.x + wid.y * nwg.x) * ${WG}u + lid);
  if (i >= uni.size) { return; }
  let id = ids[i / uni.c];
  if (id < 0 || id >= uni.v) { y[i] = 0.0; return; }
  y[i] = table[id * uni.c + i % uni.c];
}`;

/** table [V, C] float32, ids [N] int32 → [N, C]. */
const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebGpuBackendLike;
  const { table, ids } = inputs as GatherRowsInputs;
  const [V, C] = table.shape as [number, number];
  const N = ids.shape[0]!;
  const onCpu = cpuResidentInt32(ids);
  if (onCpu) {
    for (let i = 0; i < N; i++) {
      const id = onCpu[i]!;
      if (id < 0 || id >= V) throw new KernelInputError(`id ${id} at position ${i} is outside the embedding's ${V} rows`);
    }
  }
  const [y] = runProgram(b, {
    key: 'TokenFormerGatherRows',
    code: CODE,
    workgroupSize: WG,
    outputs: [{ shape: [N, C], dtype: 'float32' }],
    inputs: [table, ids],
    uniforms: [N * C, C, V].map((v) => ({ type: 'int32' as const, data: [v] })),
    workgroups: Math.ceil((N * C) / WG),
  });
  return y as TensorInfo;
};

export const gatherRowsConfig: KernelConfig = { kernelName: GATHER_ROWS, backendName: 'webgpu', kernelFunc };
