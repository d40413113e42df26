// LayerNorm over the last axis with biased variance, as torch's F.layer_norm.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { layerNormKernel, layerNormKernelAvailable } from './wasm/layerNormKernels.js';

/**
 * (x - mean) / sqrt(var + eps), times `weight` plus `bias` when given (the parametric final norm);
 * without them it is the official non-parametric `layernorm_nonparam`. x [..., C] → [..., C].
 */
export function layerNorm(x: Tensor, eps: number, weight?: Tensor, bias?: Tensor): Tensor {
  return tf.tidy(() => {
    const normed = layerNormKernelAvailable(x) ? layerNormKernel(x, eps) : composed(x, eps); // [..., C]
    if (!weight || !bias) return normed;
    return tf.add(tf.mul(normed, weight), bias); // [..., C]
  });
}

/** The normalisation from tf ops. x [..., C] → [..., C]. */
function composed(x: Tensor, eps: number): Tensor {
  const centered = tf.sub(x, tf.mean(x, -1, true)); // [..., C]
  const variance = tf.mean(tf.square(centered), -1, true); // [..., 1]
  return tf.mul(centered, tf.rsqrt(tf.add(variance, eps))); // [..., C]
}
