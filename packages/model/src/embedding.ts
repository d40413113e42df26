// Row lookups whose gradients work on every backend: tfjs's gather gradient needs
// UnsortedSegmentSum, which the wasm backend lacks, so both lookups scatter with scatterND
// (which sums repeated indices) instead.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { typedCustomGrad } from '@tokenformer/pattention';

const lookupRows = typedCustomGrad((table: Tensor, ids: Tensor, save: GradSaveFunc) => {
  save([ids]);
  const [rows, width] = table.shape as [number, number];
  return {
    value: tf.gather(table, ids), // [N, C]
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

const pickColumns = typedCustomGrad((matrix: Tensor, indices: Tensor, save: GradSaveFunc) => {
  save([indices]);
  const shape = matrix.shape as [number, number];
  return {
    value: tf.gatherND(matrix, indices), // [N]
    gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.scatterND(saved[0]!, dy, shape), tf.zerosLike(saved[0]!)], // [N, V]
  };
});

/**
 * matrix[i, columns[i]] for each row i: matrix [N, V], columns [N] (int32, in range) → [N].
 * Differentiable in `matrix`. The caller disposes the result.
 */
export function pickAlongRows(matrix: Tensor2D, columns: Tensor1D): Tensor1D {
  return tf.tidy(() => {
    const n = matrix.shape[0];
    const rows = tf.range(0, n, 1, 'int32'); // [N]
    const indices = tf.stack([rows, columns], 1); // [N, 2]
    return pickColumns(matrix, indices) as Tensor1D;
  });
}
