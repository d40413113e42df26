// A model's tensors by our stable names (the safetensors keys), and the check of given weights.
import type { Tensor } from '@tensorflow/tfjs-core';
import { pattentionPrefix } from './block.js';
import { SLOT_NAMES, type TokenFormerConfig } from './config.js';
import { CheckpointError } from './errors.js';

/** Every tensor of a model with its shape, by our stable names (the safetensors keys). */
export function tensorShapes(config: TokenFormerConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const d = config.hiddenSize;
  shapes.set('wordEmbeddings', [config.vocabSize, d]);
  config.layers.forEach((slots, i) => {
    for (const slot of SLOT_NAMES) {
      const n = slots[slot].paramTokenNum;
      shapes.set(`${pattentionPrefix(i, slot)}.keyParamTokens`, [n, d]);
      shapes.set(`${pattentionPrefix(i, slot)}.valueParamTokens`, [n, d]);
    }
  });
  shapes.set('finalNorm.weight', [d]);
  shapes.set('finalNorm.bias', [d]);
  return shapes;
}

/** Throws CheckpointError unless `weights` has exactly the config's tensors, each of its shape. */
export function checkWeights(config: TokenFormerConfig, weights: ReadonlyMap<string, Tensor>): void {
  const shapes = tensorShapes(config);
  for (const [name, shape] of shapes) {
    const w = weights.get(name);
    if (!w) throw new CheckpointError(`the weights lack tensor ${name} [${shape}]`);
    if (w.shape.length !== shape.length || w.shape.some((s, i) => s !== shape[i])) {
      throw new CheckpointError(`tensor ${name} has shape [${w.shape}], the config needs [${shape}]`);
    }
  }
  for (const name of weights.keys()) {
    if (!shapes.has(name)) throw new CheckpointError(`the weights have tensor ${name}, which the config does not use`);
  }
}
