// The embedding lookup, with a gradient that works on every backend: tfjs's gather gradient needs
// UnsortedSegmentSum, which the wasm backend lacks, so it scatters with scatterND (which sums
// repeated indices) instead. On wasm the rows are copied by a kernel of our own (one row copy per
// id, ids range-checked): tfjs-wasm's GatherV2 took 41 ms for 2048 rows of 256.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, KernelFunc, Tensor, Tensor1D, Tensor2D, TensorInfo } from '@tensorflow/tfjs-core';
import { registerWasmKernel, typedCustomGrad, type WasmBackendLike } from '@tokenformer/pattention';
import { InputError } from './errors.js';

export const GATHER_ROWS_KERNEL = 'TokenFormerGatherRows';

/** table [V, C] float32, ids [N] int32 → [N, C]. */
const gatherRowsWasm: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { table, ids } = inputs as Record<'table' | 'ids', TensorInfo>;
  const [V, C] = table.shape as [number, number];
  const N = ids.shape[0]!;
  const checked = b.typedArrayFromHeap(ids) as Int32Array;
  for (let i = 0; i < N; i++) {
    const id = checked[i]!;
    if (id < 0 || id >= V) throw new InputError(`id ${id} at position ${i} is outside the embedding's ${V} rows`);
  }
  const out = b.makeOutput([N, C], 'float32');
  // views after makeOutput: it may grow the heap and detach older ones
  const src = b.typedArrayFromHeap(table) as Float32Array;
  const idx = b.typedArrayFromHeap(ids) as Int32Array;
  const dst = b.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < N; i++) dst.set(src.subarray(idx[i]! * C, idx[i]! * C + C), i * C);
  return out;
};

function gatherRows(table: Tensor, ids: Tensor): Tensor {
  if (tf.getBackend() !== 'wasm' || table.dtype !== 'float32' || ids.dtype !== 'int32') return tf.gather(table, ids);
  registerWasmKernel(GATHER_ROWS_KERNEL, gatherRowsWasm);
  return tf.engine().runKernel(GATHER_ROWS_KERNEL, { table, ids }) as Tensor;
}

const lookupRows = typedCustomGrad((table: Tensor, ids: Tensor, save: GradSaveFunc) => {
  save([ids]);
  const [rows, width] = table.shape as [number, number];
  return {
    value: gatherRows(table, ids), // [N, C]
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const indices = tf.reshape(saved[0]!, [-1, 1]); // [N, 1]
      return [tf.scatterND(indices, dy, [rows, width]), tf.zerosLike(saved[0]!)]; // [V, C], ids get none
    },
  };
});

/** table [V, C] at rows ids [N] (int32) → [N, C]. Differentiable in `table`. The caller disposes. */
export function embeddingLookup(table: Tensor2D, ids: Tensor1D): Tensor2D {
  return lookupRows(table, ids) as Tensor2D;
}
