// Checks of what the active backend can do, made before any work starts.
import * as tf from '@tensorflow/tfjs-core';
import { activeBackendTraits } from '@tokenformer/kernels';
import { countParams, type TokenFormerConfig } from './config.js';
import { ConfigError, TokenFormerError } from './errors.js';

/**
 * Throws ConfigError when the config's float32 weights exceed what the active backend can hold (its
 * `maxWeightBytes` trait, registered with its kernels: the wasm heap fails past its end with "memory
 * access out of bounds" rather than an out-of-memory error), or its largest weight one tensor can be
 * (the `maxTensorBytes` trait: a WebGPU device's buffer limit).
 */
export function checkFitsBackend(config: TokenFormerConfig): void {
  const bytes = countParams(config) * 4;
  const { maxWeightBytes: limit, maxTensorBytes } = activeBackendTraits();
  const embedding = config.vocabSize * config.hiddenSize * 4; // the largest weight
  if (maxTensorBytes !== undefined && embedding > maxTensorBytes) {
    throw new ConfigError(
      `the word embedding [${config.vocabSize}, ${config.hiddenSize}] takes ${mib(embedding)} in one tensor, over the ${mib(maxTensorBytes)} one buffer can hold on this ${tf.getBackend()} device`,
    );
  }
  if (limit !== undefined && bytes > limit) {
    throw new ConfigError(
      `the model's float32 weights take ${(bytes / 1e9).toFixed(2)} GB, over the ${limit / 1e9} GB the ${tf.getBackend()} backend can hold; use tfjs-node(-gpu) or WebGPU`,
    );
  }
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;

let gradientsChecked = false;

/**
 * Training needs tfjs's gradient registrations, which tfjs-core alone lacks (forward passes, losses
 * and generation do not): say how to get them instead of failing deep inside tfjs. Called by the
 * trainer before its first step. `@tensorflow/tfjs` is the one import that registers them under Node
 * ESM and bundlers alike (tfjs-core's `dist/register_all_gradients` is an ES module in a CommonJS
 * package, which Node refuses).
 */
export function requireGradients(): void {
  if (gradientsChecked) return;
  if (!tf.getGradient('Mean') || !tf.getGradient('Softmax')) {
    throw new TokenFormerError(
      "training needs tfjs's gradients, which @tensorflow/tfjs-core alone does not register: npm install @tensorflow/tfjs and add `import '@tensorflow/tfjs';` before training",
    );
  }
  gradientsChecked = true;
}
