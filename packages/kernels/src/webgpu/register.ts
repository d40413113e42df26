// registerWebGpuKernels(): every WebGPU kernel of ours, their gradients and the webgpu backend's
// traits, registered once by an app (nothing registers itself on import). The kernels run WGSL of
// ours inside tfjs-backend-webgpu's command stream (program.ts); each is tested against the composed
// tfjs ops it replaces.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { registerBackendTraits } from '../backendTraits.js';
import { registerGradientsOf } from '../gradients.js';
import { adamWConfig } from './adamW.js';
import { causalAttentionConfig, causalAttentionGradConfig } from './causalAttention.js';
import { crossEntropyConfig, crossEntropyGradConfig } from './crossEntropy.js';
import { gatherRowsConfig } from './gatherRows.js';
import { l2NormGeluConfig, l2NormGeluGradConfig } from './l2NormGelu.js';
import { layerNormConfig, layerNormGradConfig } from './layerNorm.js';
import { matMulConfig } from './matMul.js';
import { normConfigs } from './norms.js';
import { rotaryConfig } from './rotary.js';
import { scatterAddRowsConfig } from './scatterAddRows.js';

const KERNELS: KernelConfig[] = [
  l2NormGeluConfig,
  l2NormGeluGradConfig,
  layerNormConfig,
  layerNormGradConfig,
  rotaryConfig,
  gatherRowsConfig,
  scatterAddRowsConfig,
  crossEntropyConfig,
  crossEntropyGradConfig,
  causalAttentionConfig,
  causalAttentionGradConfig,
  matMulConfig,
  adamWConfig,
  ...normConfigs,
];

/**
 * Registers our WebGPU kernels (under our own names, never over tfjs's) and their gradients. Call
 * once, before or after the webgpu backend starts; calling again changes nothing. Returns the names
 * of the kernels registered.
 */
export function registerWebGpuKernels(): string[] {
  for (const config of KERNELS) if (!tf.getKernel(config.kernelName, 'webgpu')) tf.registerKernel(config);
  const names = KERNELS.map((k) => k.kernelName);
  registerGradientsOf(names);
  registerBackendTraits('webgpu', {});
  return names;
}

/**
 * Removes them again, so the ops compose stock tfjs kernels: what `pnpm bench:webgpu` compares
 * against, in the same process. Returns the names removed.
 */
export function unregisterWebGpuKernels(): string[] {
  const removed: string[] = [];
  for (const config of KERNELS) {
    if (!tf.getKernel(config.kernelName, 'webgpu')) continue;
    tf.unregisterKernel(config.kernelName, 'webgpu');
    removed.push(config.kernelName);
  }
  return removed;
}

/**
 * Records the started webgpu backend's device limit as the `maxTensorBytes` trait (the largest
 * storage buffer one tensor can be). Call after the webgpu backend started (the CLIs and the page
 * do); before, it does nothing and returns null.
 */
export function registerWebGpuLimits(): number | null {
  const backend = tf.findBackend('webgpu') as unknown as { device?: { limits: { maxBufferSize: number; maxStorageBufferBindingSize: number } } } | null;
  const limits = backend?.device?.limits;
  if (!limits) return null;
  const maxTensorBytes = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  registerBackendTraits('webgpu', { maxTensorBytes });
  return maxTensorBytes;
}
