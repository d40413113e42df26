// 2-D matrix products whose forward and backward passes use only plain 2-D matMul without
// transpose flags: the one fast path of the wasm backend (tfjs's stock MatMul gradient uses
// transpose flags, which fall to a scalar loop there). Transposes are explicit (transpose2d: our kernel where the backend has it).
// One exception, measured on wasm (README, benchmarks): a · bᵀ with fewer than SMALL_M_ROWS rows of
// `a` (decoding) is faster with the transposeB flag than with an explicit transpose of b, so its
// forward pass uses the flag.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { typedCustomGrad } from './customGrad.js';
import { transpose2d } from './transpose2d.js';

const matMulGrad = typedCustomGrad((a: Tensor, b: Tensor, save: GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as Tensor2D, b as Tensor2D), // [M, N]
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sa, sb] = saved as [Tensor2D, Tensor2D];
      return [
        tf.matMul(dy as Tensor2D, transpose2d(sb)), // [M, K]
        tf.matMul(transpose2d(sa), dy as Tensor2D), // [K, N]
      ];
    },
  };
});

/** Below this many rows of `a`, matMulBT's forward pass uses the transposeB flag (see above). */
export const SMALL_M_ROWS = 32;

const matMulBTGrad = typedCustomGrad((a: Tensor, b: Tensor, save: GradSaveFunc) => {
  save([a, b]);
  const small = a.shape[0]! < SMALL_M_ROWS;
  return {
    value: small ? tf.matMul(a as Tensor2D, b as Tensor2D, false, true) : tf.matMul(a as Tensor2D, transpose2d(b as Tensor2D)), // [M, N]
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sa, sb] = saved as [Tensor2D, Tensor2D];
      return [
        tf.matMul(dy as Tensor2D, sb), // [M, K]
        // dyᵀ · a: measured faster on wasm than (aᵀ · dy)ᵀ for every Pattention and logits shape of the bench config
        tf.matMul(transpose2d(dy as Tensor2D), sa), // [N, K]
      ];
    },
  };
});

/** a · b for a [M, K] and b [K, N] → [M, N]. The caller disposes the result. */
export function matMul2d(a: Tensor2D, b: Tensor2D): Tensor2D {
  return matMulGrad(a, b) as Tensor2D;
}

/** a · bᵀ for a [M, K] and b [N, K] → [M, N]. The caller disposes the result. */
export function matMulBT(a: Tensor2D, b: Tensor2D): Tensor2D {
  return matMulBTGrad(a, b) as Tensor2D;
}
