// Backend selection for the repository scripts: an explicit choice, checked, never a silent fallback.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type ScriptBackend = 'wasm' | 'cpu';

export async function startBackend(name: ScriptBackend): Promise<string> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} did not start (active: ${tf.getBackend()})`);
  return tf.getBackend();
}

export { tf };
