// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ and Megatron's clip_grad_norm:
// coefficient = maxNorm / (‖g‖ + 1e-6), applied only when below 1.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Returns the global L2 norm (read back as a number) and the clipped gradients (new tensors when
 * clipping happens, the same tensors otherwise; the caller disposes what it passed and got).
 */
export async function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): Promise<{ norm: number; grads: Map<string, tf.Tensor> }> {
  const sums = [...grads.values()].map((g) => tf.tidy(() => tf.sum(tf.square(g)))); // scalars; each square freed at once
  const sq = tf.addN(sums); // scalar
  tf.dispose(sums);
  const norm = Math.sqrt((await sq.data())[0]!);
  sq.dispose();
  const coef = maxNorm / (norm + 1e-6);
  if (!(coef < 1) || !Number.isFinite(norm)) return { norm, grads };
  const out = new Map<string, tf.Tensor>();
  for (const [k, g] of grads) out.set(k, tf.mul(g, coef));
  return { norm, grads: out };
}
