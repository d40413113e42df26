// Next-token cross-entropy with an ignore index, fused: no one-hot targets, and a hand-written
// gradient softmax(logits) - onehot(target) (tfjs's logSumExp gradient goes through Max's
// gradient, a broadcast Equal: slow; README, benchmarks). The target's logit is read with gatherND
// and its gradient scattered with scatterND, which every backend has. One softmax serves both
// passes: the loss is -log(softmax[target]), and tf.softmax is one fused kernel on wasm.
// A target probability below the smallest normal float is read as that float, so a loss is capped
// at 87.3 nats (a diverged model); the gradient is unaffected.
// Where the active backend has our CROSS_ENTROPY kernels (webgpu), the loss is one kernel each way
// and keeps only logsumexp [N] for the backward pass.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD, hasKernel, type CrossEntropyAttrs } from '@tokenformer/kernels';
import { typedCustomGrad } from '@tokenformer/pattention';

const SMALLEST_NORMAL = 1.1754943508222875e-38;

const crossEntropyRows = typedCustomGrad((logits: Tensor, indices: Tensor, save: GradSaveFunc) => {
  const softmax = tf.softmax(logits, -1); // [N, V]
  save([softmax, indices]);
  return {
    value: tf.neg(tf.log(tf.maximum(tf.gatherND(softmax, indices), SMALLEST_NORMAL))), // [N]
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sSoftmax, sIndices] = saved as [Tensor, Tensor];
      const picked = tf.scatterND(sIndices, dy, sSoftmax.shape); // [N, V]
      return [tf.sub(tf.mul(sSoftmax, tf.reshape(dy, [-1, 1])), picked), tf.zerosLike(sIndices)]; // [N, V]
    },
  };
});

/** logsumexp(logits[i]) - logits[i, targets[i]]: logits [N, V], targets [N] int32 in range → [N]. */
function crossEntropy(logits: Tensor2D, targets: Tensor1D): Tensor1D {
  return tf.tidy(() => {
    const rows = tf.range(0, logits.shape[0], 1, 'int32'); // [N]
    const indices = tf.stack([rows, targets], 1); // [N, 2]
    return crossEntropyRows(logits, indices) as Tensor1D;
  });
}

/** The fused kernels: logits [N, V], targets [N] → [N], 0 where ignored. */
function fusedCrossEntropy(ignoreIndex: number) {
  const attrs = { ignoreIndex } satisfies CrossEntropyAttrs as unknown as NamedAttrMap;
  return typedCustomGrad((logits: Tensor, targets: Tensor, save: GradSaveFunc) => {
    const [loss, lse] = tf.engine().runKernel(CROSS_ENTROPY, { logits, targets }, attrs) as unknown as [Tensor, Tensor]; // [N], [N]
    save([logits, targets, lse]);
    return {
      value: loss,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sLogits, sTargets, sLse] = saved as [Tensor, Tensor, Tensor];
        return [tf.engine().runKernel(CROSS_ENTROPY_GRAD, { dy, logits: sLogits, targets: sTargets, lse: sLse }, attrs) as Tensor, tf.zerosLike(sTargets)]; // [N, V]
      },
    };
  });
}

/**
 * Per-token loss: logits [B, T, V], targets int32 [B, T] → [B, T], where each entry is
 * logsumexp(logits) - logits[target], and 0 where target == ignoreIndex. The caller disposes.
 */
export function tokenCrossEntropy(logits: Tensor, targets: Tensor2D, ignoreIndex: number): Tensor2D {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape as [number, number, number];
    if (logits.dtype === 'float32' && hasKernel(CROSS_ENTROPY) && hasKernel(CROSS_ENTROPY_GRAD)) {
      const flatLogits = tf.reshape(logits, [B * T, V]); // [N, V]
      return tf.reshape(fusedCrossEntropy(ignoreIndex)(flatLogits, tf.reshape(targets, [B * T])), [B, T]) as Tensor2D; // [B, T]
    }
    const flat = tf.reshape(logits, [B * T, V]) as Tensor2D; // [N, V]
    const t = tf.reshape(targets, [B * T]) as Tensor1D; // [N]
    const keep = tf.notEqual(t, tf.scalar(ignoreIndex, 'int32')); // [N]
    const safeTargets = tf.where(keep, t, tf.zerosLike(t)) as Tensor1D; // [N]
    const losses = crossEntropy(flat, safeTargets); // [N]
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
