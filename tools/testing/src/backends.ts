// The backend matrix every tensor test suite runs over: cpu and wasm always, webgpu where an
// adapter exists. Importing '@tensorflow/tfjs' registers tfjs's gradients (tfjs-core alone does not);
// our own kernels are registered here as an app registers them.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '@tokenformer/kernels/wasm';
import { registerWebGpuKernels } from '@tokenformer/kernels/webgpu';
import { describe } from 'vitest';
import { activateBackend } from '@tokenformer/node-runtime';
import { nodeGpu } from '@tokenformer/node-runtime/dawn';

export type BackendName = 'cpu' | 'wasm' | 'webgpu';

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** Why the backend is skipped, shown in the test name. */
  reason?: string;
}

async function probeWebgpu(): Promise<BackendStatus> {
  if (process.env.TOKENFORMER_TEST_WEBGPU === '0') return { name: 'webgpu', available: false, reason: 'TOKENFORMER_TEST_WEBGPU=0' };
  const gpu = await nodeGpu();
  if (typeof gpu === 'string') return { name: 'webgpu', available: false, reason: gpu };
  await import('@tensorflow/tfjs-backend-webgpu');
  return { name: 'webgpu', available: true };
}

/** Which backends this process can run, with the reason for each one it cannot. */
export async function backendMatrix(): Promise<BackendStatus[]> {
  return [{ name: 'cpu', available: true }, { name: 'wasm', available: true }, await probeWebgpu()];
}

/** Switches to `name` and fails loudly if tfjs silently stayed elsewhere. */
export async function useBackend(name: BackendName): Promise<void> {
  await activateBackend(name);
}

registerWasmKernels();
registerWebGpuKernels();
const matrix = await backendMatrix();

/** Whether this process has a WebGPU adapter (else the reason it has none). */
export const webgpuStatus: BackendStatus = matrix.find((m) => m.name === 'webgpu')!;

/**
 * One describe block per backend; a missing backend shows up as a skipped block naming why.
 * `body` runs with the backend already active (set in its beforeAll by the caller's helper).
 */
export function describeEachBackend(title: string, body: (backend: BackendName) => void): void {
  for (const status of matrix) {
    const name = status.available ? `${title} [${status.name}]` : `${title} [${status.name}: skipped, ${status.reason}]`;
    describe.skipIf(!status.available)(name, () => body(status.name));
  }
}

export { tf };
