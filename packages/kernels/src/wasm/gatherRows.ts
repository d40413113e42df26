// Embedding rows gathered by one row copy per id, ids range-checked before anything is allocated
// (tfjs-wasm's GatherV2 is a general gather, several times slower for this case).
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { KernelInputError } from '../errors.js';
import { GATHER_ROWS, type GatherRowsInputs } from '../kernelNames.js';
import type { WasmBackendLike } from './heap.js';

/** table [V, C] float32, ids [N] int32 → [N, C]. */
const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { table, ids } = inputs as GatherRowsInputs;
  const [V, C] = table.shape as [number, number];
  const N = ids.shape[0]!;
  const checked = b.typedArrayFromHeap(ids) as Int32Array;
  for (let i = 0; i < N; i++) {
    const id = checked[i]!;
    if (id < 0 || id >= V) throw new KernelInputError(`id ${id} at position ${i} is outside the embedding's ${V} rows`);
  }
  const out = b.makeOutput([N, C], 'float32');
  // views after makeOutput: it may grow the heap and detach older ones
  const src = b.typedArrayFromHeap(table) as Float32Array;
  const idx = b.typedArrayFromHeap(ids) as Int32Array;
  const dst = b.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < N; i++) dst.set(src.subarray(idx[i]! * C, idx[i]! * C + C), i * C);
  return out;
};

export const gatherRowsConfig: KernelConfig = { kernelName: GATHER_ROWS, backendName: 'wasm', kernelFunc };
