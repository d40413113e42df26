// The page's backend: WebGPU first. Without WebGPU the page says so and offers wasm as an explicit
// choice the user makes; it never falls back on its own.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmKernels } from '@tokenformer/kernels/wasm';
import { hasKernel, KERNEL_NAMES } from '@tokenformer/kernels';
import { registerWebGpuKernels, registerWebGpuLimits, unregisterWebGpuKernels } from '@tokenformer/kernels/webgpu';
import type { PageBackend } from './params.js';

/** WebGPU is missing or gives no adapter: the page offers wasm instead. */
export class NoWebGpuError extends Error {
  override name = 'NoWebGpuError';
}

interface GpuAdapterLike {
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

let adapterLimits: GpuAdapterLike['limits'] | undefined;

export async function startBackend(choice: PageBackend): Promise<string> {
  if (choice === 'webgpu') {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
    if (!gpu) throw new NoWebGpuError('This browser has no WebGPU (navigator.gpu is missing).');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new NoWebGpuError('This browser has WebGPU, but it offers no GPU adapter (WebGPU disabled, or no usable GPU).');
    adapterLimits = adapter.limits;
    await import('@tensorflow/tfjs-backend-webgpu');
    registerWebGpuKernels();
  } else {
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels();
  }
  const ok = await tf.setBackend(choice);
  if (!ok || tf.getBackend() !== choice) throw new Error(`the ${choice} backend did not start (tfjs is on ${tf.getBackend()})`);
  await tf.ready();
  if (choice === 'webgpu') registerWebGpuLimits();
  return tf.getBackend();
}

/**
 * Our kernels active on the started backend, after `choice` ("stock": the WebGPU ones unregistered,
 * so the model runs on tfjs's own ops; anything else: ours, as registered at start).
 */
export function activeKernels(choice: string | null): string[] {
  if (choice === 'stock') unregisterWebGpuKernels();
  else if (choice !== null && choice !== 'ours') throw new Error(`kernels=${choice} must be ours or stock`);
  return KERNEL_NAMES.filter((k) => hasKernel(k));
}

/**
 * A model whose largest tensor cannot be one GPU buffer cannot run here: say so before loading.
 * `largestBytes` is the biggest tensor (the word embedding, or the logits of a step).
 */
export function checkFitsDevice(largestBytes: number, what: string): void {
  if (!adapterLimits) return;
  const limit = Math.min(adapterLimits.maxBufferSize, adapterLimits.maxStorageBufferBindingSize);
  if (largestBytes > limit) {
    throw new Error(`the model is too large for this GPU: ${what} needs ${(largestBytes / 2 ** 20).toFixed(0)} MiB in one buffer, and this adapter allows ${(limit / 2 ** 20).toFixed(0)} MiB`);
  }
}
