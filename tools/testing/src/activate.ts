// Switching tfjs backends with a check: tfjs's setBackend() only warns and stays where it was
// when a backend fails, so every comparison would then pass trivially. No test-runner imports here,
// so repository scripts use it too.
import * as tf from '@tensorflow/tfjs';

/** Makes `name` the active backend, or throws naming the backend tfjs is on instead. */
export async function activateBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} did not start (active: ${tf.getBackend()})`);
}
