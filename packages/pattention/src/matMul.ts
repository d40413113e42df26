// 2-D matrix products whose forward and backward passes use only plain 2-D matMul without
// transpose flags: the one fast path of the wasm backend (tfjs's stock MatMul gradient uses
// transpose flags, which fall to a scalar loop there). Transposes are explicit (transpose2d: our kernel where the backend has it).
// One exception, measured on wasm (README, benchmarks): a · bᵀ with fewer than SMALL_M_ROWS rows of
// `a` (decoding) is faster with the transposeB flag than with an explicit transpose of b, so its
// forward pass uses the flag.
// Where the active backend has our MATMUL kernel (webgpu), every product and gradient is that kernel
// with transpose flags instead (no transposed copies).
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { hasKernel, MATMUL, type MatMulAttrs } from '@tokenformer/kernels';
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

/** Our MATMUL kernel: a (or aᵀ) · b (or bᵀ). */
function mm(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor2D {
  const attrs = { transposeA, transposeB } satisfies MatMulAttrs as unknown as NamedAttrMap;
  return tf.engine().runKernel(MATMUL, { a, b }, attrs) as Tensor2D;
}

const kernelMatMul = typedCustomGrad((a: Tensor, b: Tensor, save: GradSaveFunc) => {
  save([a, b]);
  return {
    value: mm(a, b, false, false), // [M, N]
    gradFunc: (dy: Tensor, saved: Tensor[]) => [mm(dy, saved[1]!, false, true), mm(saved[0]!, dy, true, false)], // [M, K], [K, N]
  };
});

const kernelMatMulBT = typedCustomGrad((a: Tensor, b: Tensor, save: GradSaveFunc) => {
  save([a, b]);
  return {
    value: mm(a, b, false, true), // [M, N]
    gradFunc: (dy: Tensor, saved: Tensor[]) => [mm(dy, saved[1]!, false, false), mm(dy, saved[0]!, true, false)], // [M, K], [N, K]
  };
});

function kernelTakes(a: Tensor2D, b: Tensor2D): boolean {
  return a.dtype === 'float32' && b.dtype === 'float32' && hasKernel(MATMUL);
}

/** a · b for a [M, K] and b [K, N] → [M, N]. The caller disposes the result. */
export function matMul2d(a: Tensor2D, b: Tensor2D): Tensor2D {
  return (kernelTakes(a, b) ? kernelMatMul(a, b) : matMulGrad(a, b)) as Tensor2D;
}

/** a · bᵀ for a [M, K] and b [N, K] → [M, N]. The caller disposes the result. */
export function matMulBT(a: Tensor2D, b: Tensor2D): Tensor2D {
  return (kernelTakes(a, b) ? kernelMatMulBT(a, b) : matMulBTGrad(a, b)) as Tensor2D;
}
