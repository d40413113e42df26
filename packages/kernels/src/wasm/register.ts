// registerWasmKernels(): every wasm kernel of ours, their gradients and the wasm backend's traits,
// registered once by an app (nothing registers itself on import). A kernel whose module this engine
// cannot compile (no WebAssembly SIMD) is left out, and its ops compose tfjs ops instead.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { registerBackendTraits } from '../backendTraits.js';
import { registerGradientsOf } from '../gradients.js';
import { gatherRowsConfig } from './gatherRows.js';
import { moduleSupported, type KernelModuleSource } from './heap.js';
import { L2_NORM_GELU_MODULE, l2NormGeluConfig, l2NormGeluGradConfig } from './l2NormGelu.js';
import { LAYER_NORM_MODULE, layerNormConfig, layerNormGradConfig } from './layerNorm.js';
import { MATMUL_MODULES, matMulConfig } from './matMul.js';
import { rotaryConfig } from './rotary.js';
import { splitVConfig } from './splitV.js';
import { TRANSPOSE_2D_MODULE, transpose2dConfig } from './transpose2d.js';

/**
 * How far tfjs-wasm's heap grows: wasm32's 4 GiB less what its own runtime holds. Past it tfjs-wasm
 * fails mid-step with "memory access out of bounds", which names nothing, so sizes are checked first.
 */
export const WASM_HEAP_BYTES = 4.2e9;

/** Weights a model may hold on wasm: the heap ends near 3 GB for a model that also runs (measured). */
export const WASM_WEIGHT_BYTES = 2.5e9;

/** Each kernel with the WebAssembly module it needs, if any. */
const KERNELS: [KernelConfig, KernelModuleSource | null][] = [
  [l2NormGeluConfig, L2_NORM_GELU_MODULE],
  [l2NormGeluGradConfig, L2_NORM_GELU_MODULE],
  [transpose2dConfig, TRANSPOSE_2D_MODULE],
  [layerNormConfig, LAYER_NORM_MODULE],
  [layerNormGradConfig, LAYER_NORM_MODULE],
  [rotaryConfig, null],
  [splitVConfig, null],
  [gatherRowsConfig, null],
  [matMulConfig, MATMUL_MODULES.plain],
];

/**
 * Registers our wasm kernels (under our own names, never over tfjs's), their gradients and the wasm
 * backend's traits (heap limits; batched and transposeB matMuls off its fast path). Call once,
 * before or after the wasm backend starts; calling again changes nothing. Returns the names of the
 * kernels registered (those whose module this engine compiles).
 */
export function registerWasmKernels(): string[] {
  const names: string[] = [];
  for (const [config, module] of KERNELS) {
    if (module && !moduleSupported(module)) continue;
    if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
    names.push(config.kernelName);
  }
  registerGradientsOf(names);
  registerBackendTraits('wasm', { maxWeightBytes: WASM_WEIGHT_BYTES, maxTrainingBytes: WASM_HEAP_BYTES, slowBatchedMatMul: true, slowTransposeB: true });
  return names;
}
