// LayerNorm over the last axis with biased variance, as torch's F.layer_norm: our LAYER_NORM kernels
// where the active backend has them, else composed tf ops.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { hasKernel, LAYER_NORM, LAYER_NORM_GRAD, type LayerNormAttrs } from '@tokenformer/kernels';
import { typedCustomGrad } from '@tokenformer/pattention';

/**
 * (x - mean) / sqrt(var + eps), times `weight` plus `bias` when given (the parametric final norm);
 * without them it is the official non-parametric `layernorm_nonparam`. x [..., C] → [..., C].
 */
export function layerNorm(x: Tensor, eps: number, weight?: Tensor, bias?: Tensor): Tensor {
  return tf.tidy(() => {
    const normed = kernelTakes(x) ? fused(x, eps) : composed(x, eps); // [..., C]
    if (!weight || !bias) return normed;
    return tf.add(tf.mul(normed, weight), bias); // [..., C]
  });
}

function kernelTakes(x: Tensor): boolean {
  return x.dtype === 'float32' && x.rank >= 1 && x.size > 0 && x.shape[x.rank - 1]! % 4 === 0 && hasKernel(LAYER_NORM) && hasKernel(LAYER_NORM_GRAD);
}

/** The normalisation from tf ops. x [..., C] → [..., C]. */
function composed(x: Tensor, eps: number): Tensor {
  const centered = tf.sub(x, tf.mean(x, -1, true)); // [..., C]
  const variance = tf.mean(tf.square(centered), -1, true); // [..., 1]
  return tf.mul(centered, tf.rsqrt(tf.add(variance, eps))); // [..., C]
}

/** The normalisation as our kernels, its gradient from the saved y and 1/σ. x [..., C] → [..., C]. */
function fused(x: Tensor, eps: number): Tensor {
  const op = typedCustomGrad((input: Tensor, save: GradSaveFunc) => {
    const attrs: LayerNormAttrs = { eps };
    const [y, rstd] = tf.engine().runKernel(LAYER_NORM, { x: input }, attrs as unknown as NamedAttrMap) as unknown as [Tensor, Tensor]; // [..., C], [rows, 1]
    save([y, rstd]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.engine().runKernel(LAYER_NORM_GRAD, { dy, y: saved[0]!, rstd: saved[1]! }) as Tensor, // [..., C]
    };
  });
  return op(x);
}
