// Starting a tfjs backend in Node, for the apps and tools: `auto` takes tfjs-node-gpu or tfjs-node when they are
// installed (they need libtensorflow, which their install script downloads: optional, detected at
// run time, never required), else wasm. A backend asked for by name that cannot start is an error
// that says why; tfjs's own silent fallback is checked against.
// Our own kernels are registered for the backend started (registerWasmKernels for wasm,
// registerWebGpuKernels for webgpu).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '@tokenformer/kernels/wasm';
import { enableRelaxedSimd } from './relaxedSimd.js';
import { registerWebGpuKernels, registerWebGpuLimits } from '@tokenformer/kernels/webgpu';
import { nodeGpu } from './dawn.js';
import { enableWasmThreads, wasmThreadsStarted } from './wasmThreads.js';

export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'webgpu', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export class BackendError extends Error {
  override name = 'BackendError';
}

/** A --backend value that is not a backend: a usage error (exit 2). */
export class BackendChoiceError extends BackendError {
  override name = 'BackendChoiceError';
}

/**
 * Why a tfjs-node package cannot load, without importing it, or null when its native binding is
 * there. (Importing one whose binding is missing registers half its kernels first, so trying the
 * next package would print a warning per kernel.)
 */
function bindingMissing(pkg: string): string | null {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    return 'not installed';
  }
  const lib = join(dir, 'lib');
  const built = existsSync(lib) && readdirSync(lib).some((v) => /^napi-v\d+$/.test(v) && existsSync(join(lib, v, 'tfjs_binding.node')));
  return built ? null : `installed without its native binding (its install script downloads libtensorflow; with network access run: pnpm rebuild ${pkg})`;
}

async function tryTensorflow(): Promise<string | null> {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const missing = bindingMissing(pkg);
    if (missing !== null) {
      reasons.push(`${pkg}: ${missing}`);
      continue;
    }
    try {
      await import(pkg);
      return null;
    } catch (e) {
      reasons.push(`${pkg}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return reasons.join('; ');
}

async function webgpuInNode(): Promise<void> {
  const gpu = await nodeGpu();
  if (typeof gpu === 'string') throw new BackendError(`webgpu is unavailable: ${gpu}`);
  await import('@tensorflow/tfjs-backend-webgpu');
  registerWebGpuKernels();
}

/** Makes `name` the active backend, or throws naming the backend tfjs stayed on (its setBackend only warns). */
export async function activateBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new BackendError(`backend ${name} did not start (tfjs is on ${tf.getBackend()})`);
}

export interface BackendOptions {
  /** wasm threads (2 or more: the threaded build, see wasmThreads.ts; 1 = the single-threaded build). */
  threads?: number;
}

/** Start the chosen backend; returns the name tfjs reports. */
export async function startBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<string> {
  if (!BACKENDS.includes(choice)) throw new BackendChoiceError(`--backend ${JSON.stringify(choice)}: choose one of ${BACKENDS.join(', ')}`);
  if (choice === 'auto' || choice === 'tensorflow') {
    const why = await tryTensorflow();
    if (why === null) {
      await activateBackend('tensorflow');
      return tf.getBackend();
    }
    if (choice === 'tensorflow') throw new BackendError(`backend tensorflow is unavailable: ${why}`);
    choice = 'wasm';
  }
  const threads = options.threads ?? 1;
  if (threads > 1 && choice !== 'wasm') throw new BackendError(`--threads ${threads} is for the wasm backend, not ${choice}`);
  if (choice === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    enableRelaxedSimd(); // before our kernels' modules are compiled
    registerWasmKernels();
    if (threads > 1) enableWasmThreads(threads);
  }
  if (choice === 'webgpu') await webgpuInNode();
  await activateBackend(choice);
  if (choice === 'webgpu') registerWebGpuLimits();
  if (choice === 'wasm' && threads > 1) {
    const running = wasmThreadsStarted();
    if (running !== threads) throw new BackendError(`wasm started ${running} threads, not the ${threads} asked for`);
  }
  return tf.getBackend();
}
