// Backend selection for the repository scripts: an explicit choice, checked, never a silent fallback.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '@tokenformer/kernels/wasm';
import { activateBackend } from '@tokenformer/testing/activate';
import { nodeGpu } from '@tokenformer/testing/node-webgpu';

export type ScriptBackend = 'wasm' | 'cpu' | 'webgpu';

/** Starts `name` and checks it is the active backend; webgpu comes from Dawn (the webgpu package). */
export async function startBackend(name: ScriptBackend): Promise<string> {
  registerWasmKernels();
  if (name === 'webgpu') {
    const gpu = await nodeGpu();
    if (typeof gpu === 'string') throw new Error(`backend webgpu is unavailable: ${gpu}`);
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  await activateBackend(name);
  return tf.getBackend();
}

export { tf };
