// The Pattention op: Θ(X · K_Pᵀ) · V_P (paper Eq. 4, official `Pattention.forward`).
// No 1/√d on the scores, no bias; X may have any leading shape.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { PattentionConfigError, PattentionShapeError } from './errors.js';
import { matMul2d, matMulBT } from './matMul.js';
import { nonlinearNorm, type NormActivationType } from './norms.js';

export interface PattentionOptions {
  /** Θ, the normalisation of the scores over the parameter tokens. Default 'l2_norm_gelu'. */
  normActivationType?: NormActivationType;
  /** Pinned scale τ; null/undefined = √n (L2 variants) or n (softmax), as the official code. */
  tau?: number | null;
  /**
   * Called with the normalised weights Θ(X·K_Pᵀ) [M, n] and the raw scores X·K_Pᵀ [M, n] of each
   * call, inside the op's tidy: keep (tf.keep) only what you compute from them. For importance
   * scores (pruning), not for training.
   */
  observeWeights?: (weights: Tensor2D, scores: Tensor2D) => void;
  /**
   * Selective activation, for inference: keep only the `topK` largest normalised weights of each
   * input row (ties with the k-th kept too) and zero the rest, so each input uses only its topK
   * parameter tokens. At or above n the op is exactly the full one. No gradient is defined for it.
   */
  topK?: number;
}

/** weights [M, n] with all but each row's k largest set to 0. */
function keepTopK(weights: Tensor2D, k: number): Tensor2D {
  const kth = tf.slice(tf.topk(weights, k).values, [0, k - 1], [-1, 1]); // [M, 1]
  return tf.where(tf.greaterEqual(weights, kth), weights, tf.zerosLike(weights)) as Tensor2D; // [M, n]
}

function core(
  x: Tensor,
  scoresOf: (x2d: Tensor2D) => Tensor2D,
  n: number,
  d1: number,
  valueParamTokens: Tensor2D,
  options: PattentionOptions,
): Tensor {
  const [nv, d2] = valueParamTokens.shape;
  const inDim = x.shape[x.rank - 1];
  if (x.rank < 1 || inDim !== d1) {
    throw new PattentionShapeError(`input's last dimension is ${inDim}, key parameter tokens expect ${d1}`);
  }
  if (nv !== n) {
    throw new PattentionShapeError(`${n} key parameter tokens but ${nv} value parameter tokens`);
  }
  const { topK } = options;
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new PattentionConfigError(`topK must be an integer >= 1, got ${topK}`);
  return tf.tidy(() => {
    const x2d = tf.reshape(x, [-1, d1]) as Tensor2D; // [M, d1]
    const scores = scoresOf(x2d); // [M, n]
    const weights = nonlinearNorm(scores, options.normActivationType ?? 'l2_norm_gelu', options.tau); // [M, n]
    options.observeWeights?.(weights, scores);
    const kept = topK !== undefined && topK < n ? keepTopK(weights, topK) : weights; // [M, n]
    const out = matMul2d(kept, valueParamTokens); // [M, d2]
    return tf.reshape(out, [...x.shape.slice(0, -1), d2]); // [..., d2]
  });
}

/**
 * x [..., d1], keyParamTokens [n, d1] (the official layout), valueParamTokens [n, d2] → [..., d2].
 * Differentiable with respect to all three inputs. The caller disposes the result.
 */
export function pattention(x: Tensor, keyParamTokens: Tensor2D, valueParamTokens: Tensor2D, options: PattentionOptions = {}): Tensor {
  const [n, d1] = keyParamTokens.shape;
  return core(x, (x2d) => matMulBT(x2d, keyParamTokens), n, d1, valueParamTokens, options);
}

/**
 * The same op with the key tokens stored transposed, keyParamTokensT [d1, n] (one token per
 * column): the forward pass then multiplies by that tensor as it is, which lets the wasm backend
 * reuse its packed copy between calls (the Pattention layer stores its keys this way).
 */
export function pattentionKeysT(x: Tensor, keyParamTokensT: Tensor2D, valueParamTokens: Tensor2D, options: PattentionOptions = {}): Tensor {
  const [d1, n] = keyParamTokensT.shape;
  return core(x, (x2d) => matMul2d(x2d, keyParamTokensT), n, d1, valueParamTokens, options);
}
