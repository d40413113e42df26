// The embedding lookup, with a gradient that works on every backend: tfjs's gather gradient needs
// UnsortedSegmentSum, which the wasm backend lacks, so it scatters with scatterND (which sums
// repeated indices) instead. The rows are copied by our GATHER_ROWS kernel where the active backend
// has it (ids range-checked there), else by tf.gather. Where our SCATTER_ADD_ROWS kernel runs
// (webgpu, whose scatterND adds with atomics in no fixed order) and the ids are still on the CPU (a
// batch made from an Int32Array), the forward pass groups the positions by id there, and the
// gradient adds them in position order: the same bits on every run, so a resumed run is identical.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { cpuResidentInt32, GATHER_ROWS, hasKernel, KernelInputError, rowOrder, SCATTER_ADD_ROWS } from '@tokenformer/kernels';
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
  const [rows, width] = table.shape as [number, number];
  // only while gradients are recorded (generation would pay the grouping for every token)
  const recording = (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
  const cpuIds = recording && hasKernel(SCATTER_ADD_ROWS) ? cpuResidentInt32(ids) : null;
  if (cpuIds) {
    let grouped;
    try {
      grouped = rowOrder(cpuIds, rows);
    } catch (e) {
      throw e instanceof KernelInputError ? new InputError(e.message) : e;
    }
    save([tf.tensor1d(grouped.order, 'int32'), tf.tensor1d(grouped.starts, 'int32')]); // [N], [V + 1]
  } else save([ids]);
  return {
    value: gatherRows(table, ids), // [N, C]
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      if (saved.length === 2) {
        const dTable = tf.engine().runKernel(SCATTER_ADD_ROWS, { dy, order: saved[0]!, starts: saved[1]! }) as Tensor; // [V, C]
        return [dTable, tf.zerosLike(ids)];
      }
      const indices = tf.reshape(saved[0]!, [-1, 1]); // [N, 1]
      return [tf.scatterND(indices, dy, [rows, width]), tf.zerosLike(saved[0]!)]; // [V, C], ids get none
    },
  };
});

/** table [V, C] at rows ids [N] (int32) → [N, C]. Differentiable in `table`. The caller disposes. */
export function embeddingLookup(table: Tensor2D, ids: Tensor1D): Tensor2D {
  return lookupRows(table, ids) as Tensor2D;
}
