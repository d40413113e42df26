// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ and Megatron's clip_grad_norm:
// coefficient = maxNorm / (‖g‖ + 1e-6), applied only when below 1.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Adds many tensors of one shape with addN over at most 7 at a time: WebGPU's default limit is 8
 * storage buffers per shader (7 inputs and the output), and tfjs-backend-webgpu's AddN binds each
 * input (a model of more than 7 weight tensors failed there with a validation error, and its norm
 * read as garbage). Returns a new tensor.
 */
export function addMany(ts: tf.Tensor[]): tf.Tensor {
  let level = ts;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += ADD_N_MAX) next.push(level.length - i === 1 ? level[i]! : tf.addN(level.slice(i, i + ADD_N_MAX)));
    level = next;
  }
  return level === ts ? tf.clone(ts[0]!) : level[0]!; // always a new tensor
}

const ADD_N_MAX = 7;

/**
 * Returns the global L2 norm (read back as a number) and the clipped gradients (new tensors when
 * clipping happens, the same tensors otherwise; the caller disposes what it passed and got).
 */
export async function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): Promise<{ norm: number; grads: Map<string, tf.Tensor> }> {
  const sums = [...grads.values()].map((g) => tf.tidy(() => tf.sum(tf.square(g)))); // scalars; each square freed at once
  const sq = tf.tidy(() => addMany(sums)); // scalar
  tf.dispose(sums);
  const norm = Math.sqrt((await sq.data())[0]!);
  sq.dispose();
  const coef = maxNorm / (norm + 1e-6);
  if (!(coef < 1) || !Number.isFinite(norm)) return { norm, grads };
  const out = new Map<string, tf.Tensor>();
  for (const [k, g] of grads) out.set(k, tf.mul(g, coef));
  return { norm, grads: out };
}
