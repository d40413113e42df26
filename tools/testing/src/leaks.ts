import * as tf from '@tensorflow/tfjs';

/** Runs `fn` and returns how many tensors it left behind (0 means no leak). */
export async function tensorsLeakedBy(fn: () => unknown | Promise<unknown>): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
