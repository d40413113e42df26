// Next-token cross-entropy with an ignore index, without materialising one-hot targets and with a
// gradient that works on every backend (pickAlongRows scatters instead of tfjs's gather gradient).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { pickAlongRows } from './embedding.js';

/**
 * Per-token loss: logits [B, T, V], targets int32 [B, T] → [B, T], where each entry is
 * logsumexp(logits) - logits[target], and 0 where target == ignoreIndex. The caller disposes.
 */
export function tokenCrossEntropy(logits: Tensor, targets: Tensor2D, ignoreIndex: number): Tensor2D {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape as [number, number, number];
    const flat = tf.reshape(logits, [B * T, V]) as Tensor2D; // [N, V]
    const t = tf.reshape(targets, [B * T]) as Tensor1D; // [N]
    const keep = tf.notEqual(t, tf.scalar(ignoreIndex, 'int32')); // [N]
    const safeTargets = tf.where(keep, t, tf.zerosLike(t)) as Tensor1D; // [N]
    const losses = tf.sub(tf.logSumExp(flat, -1), pickAlongRows(flat, safeTargets)); // [N]
    return tf.reshape(tf.mul(losses, tf.cast(keep, 'float32')), [B, T]) as Tensor2D; // [B, T]
  });
}

/** Mean of tokenCrossEntropy over the targets that are not ignored (0 if all are). Scalar. */
export function meanCrossEntropy(logits: Tensor, targets: Tensor2D, ignoreIndex: number): Tensor {
  return tf.tidy(() => {
    const perToken = tokenCrossEntropy(logits, targets, ignoreIndex); // [B, T]
    const count = tf.sum(tf.cast(tf.notEqual(targets, tf.scalar(ignoreIndex, 'int32')), 'float32')); // []
    return tf.div(tf.sum(perToken), tf.maximum(count, 1)); // []
  });
}
