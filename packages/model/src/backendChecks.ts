// Checks of what the active backend can do, made before any work starts.
import * as tf from '@tensorflow/tfjs-core';
import { activeBackendTraits } from '@tokenformer/kernels';
import { countParams, type TokenFormerConfig } from './config.js';
import { ConfigError, TokenFormerError } from './errors.js';

/**
 * Throws ConfigError when the config's float32 weights exceed what the active backend can hold (its
 * `maxWeightBytes` trait, registered with its kernels: the wasm heap fails past its end with "memory
 * access out of bounds" rather than an out-of-memory error).
 */
export function checkFitsBackend(config: TokenFormerConfig): void {
  const bytes = countParams(config) * 4;
  const limit = activeBackendTraits().maxWeightBytes;
  if (limit !== undefined && bytes > limit) {
    throw new ConfigError(
      `the model's float32 weights take ${(bytes / 1e9).toFixed(2)} GB, over the ${limit / 1e9} GB the ${tf.getBackend()} backend can hold; use tfjs-node(-gpu) or WebGPU`,
    );
  }
}

let gradientsChecked = false;

/** tfjs-core alone registers no gradients; say how to get them instead of failing deep inside tfjs. */
export function requireGradients(): void {
  if (gradientsChecked) return;
  if (!tf.getGradient('Mean') || !tf.getGradient('Softmax')) {
    throw new TokenFormerError(
      "tfjs gradients are not registered: import '@tensorflow/tfjs' (or '@tensorflow/tfjs-core/dist/register_all_gradients' under a bundler) before training",
    );
  }
  gradientsChecked = true;
}
