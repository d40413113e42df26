// What ops and the trainer need to know of a backend beyond which kernels it has: its memory limits,
// and whether its batched and transposed matMuls are off its fast path. Each backend's registration
// function (registerWasmKernels, ...) records them for its backend; code asks for the active
// backend's traits and never compares backend names. A backend nobody registered has none: no
// limits known, and every matMul taken as fast.
import * as tf from '@tensorflow/tfjs-core';

export interface BackendTraits {
  /** Bytes of float32 weights a model may hold on this backend; a bigger model is refused up front. */
  maxWeightBytes?: number;
  /** Bytes a training step may use at its peak (the heap's reach). */
  maxTrainingBytes?: number;
  /**
   * Bytes of the largest single tensor (WebGPU: one storage buffer binding, the device's limit); a
   * bigger embedding or a step's logits are refused up front instead of failing validation mid-step.
   */
  maxTensorBytes?: number;
  /**
   * Batched (3-D and 4-D) matMuls fall off the backend's fast path: token-token attention then
   * pays as plain 2-D matMuls per (batch, head) pair, split and joined by our SPLIT_V kernel.
   */
  slowBatchedMatMul?: boolean;
  /**
   * matMul with the transposeB flag is slow for wide b: decoding's logits then multiply by a
   * transposed copy of the embedding that the model keeps.
   */
  slowTransposeB?: boolean;
}

const traits = new Map<string, BackendTraits>();

/** Records the traits of `backendName` (a registration function's job). */
export function registerBackendTraits(backendName: string, backendTraits: BackendTraits): void {
  traits.set(backendName, { ...traits.get(backendName), ...backendTraits });
}

/** The active backend's traits ({} when none were registered). */
export function activeBackendTraits(): BackendTraits {
  return traits.get(tf.getBackend()) ?? {};
}

/** Whether our kernel `kernelName` is registered for the active backend. */
export function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
