// The embedding lookup, with a gradient that works on every backend: tfjs's gather gradient needs
// UnsortedSegmentSum, which the wasm backend lacks, so it scatters with scatterND (which sums
// repeated indices) instead. The rows are copied by our GATHER_ROWS kernel where the active backend
// has it (ids range-checked there), else by tf.gather.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { GATHER_ROWS, hasKernel, KernelInputError } from '@tokenformer/kernels';
import { typedCustomGrad } from '@tokenformer/pattention';
import { InputError } from './errors.js';

function gatherRows(table: Tensor, ids: Tensor): Tensor {
  if (table.dtype !== 'float32' || ids.dtype !== 'int32' || !hasKernel(GATHER_ROWS)) return tf.gather(table, ids);
  try {
    return tf.engine().runKernel(GATHER_ROWS, { table, ids }) as Tensor; // [N, C]
  } catch (e) {
    throw e instanceof KernelInputError ? new InputError(e.message) : e;
  }
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
