// xᵀ of a 2-D tensor through our TRANSPOSE_2D kernel where the active backend has it (and the shape
// suits it), else tf.transpose.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { hasKernel, TRANSPOSE_2D } from '@tokenformer/kernels';

function kernelTakes(x: Tensor2D): boolean {
  const [rows, cols] = x.shape;
  return (x.dtype === 'float32' || x.dtype === 'int32') && rows > 0 && cols > 0 && rows % 4 === 0 && cols % 4 === 0 && hasKernel(TRANSPOSE_2D);
}

/** xᵀ for x [R, C] → [C, R]. The caller disposes the result. */
export function transpose2d(x: Tensor2D): Tensor2D {
  if (!kernelTakes(x)) return tf.transpose(x);
  return tf.engine().runKernel(TRANSPOSE_2D, { x }) as Tensor2D; // [C, R]
}
