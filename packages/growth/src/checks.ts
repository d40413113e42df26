// The checks growth and pruning share: layers and Pattention names against the config, tensors
// against the config's shapes, optimizer moments against the tensors they belong to.
import type { Tensor } from '@tensorflow/tfjs-core';
import { SLOT_NAMES, type SlotName, type TokenFormerConfig } from '@tokenformer/model';
import { GrowthError } from './errors.js';

/** `what` must name a Pattention (query, key, value, proj, ffn). */
export function checkSlot(slot: string, what: string): SlotName {
  if (!(SLOT_NAMES as readonly string[]).includes(slot)) throw new GrowthError(`${what}: no such Pattention (known: ${SLOT_NAMES.join(', ')})`);
  return slot as SlotName;
}

/** The given layers, or every layer; each must exist. */
export function checkLayers(config: TokenFormerConfig, layers: readonly number[] | undefined): number[] {
  const out = layers ? [...layers] : config.layers.map((_, i) => i);
  for (const l of out) {
    if (!Number.isInteger(l) || l < 0 || l >= config.numLayers) throw new GrowthError(`layer ${l} is out of range: the model has layers 0..${config.numLayers - 1}`);
  }
  return out;
}

/** The tensor `name` of `map`, which must have `shape`. */
export function checkedTensor(map: Map<string, Tensor>, name: string, shape: number[], what: string): Tensor {
  const t = map.get(name);
  if (!t) throw new GrowthError(`the ${what} lack tensor ${name} [${shape}]`);
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new GrowthError(`${what}: tensor ${name} has shape [${t.shape}], the config needs [${shape}]`);
  }
  return t;
}

/** Every tensor the config needs, with its shape. */
export function checkWeights(weights: Map<string, Tensor>, shapes: Map<string, number[]>): void {
  for (const [name, shape] of shapes) checkedTensor(weights, name, shape, 'weights');
}

/** The model tensor an AdamW moment (`<tensor>.exp_avg` / `.exp_avg_sq`) belongs to; its shape is checked. */
export function momentOf(state: Map<string, Tensor>, key: string, shapes: Map<string, number[]>): string {
  const name = key.replace(/\.exp_avg(_sq)?$/, '');
  if (name === key || !shapes.has(name)) throw new GrowthError(`optimizer state: ${key} is not a moment (<tensor>.exp_avg or .exp_avg_sq) of a tensor of this model`);
  checkedTensor(state, key, shapes.get(name)!, 'optimizer state');
  return name;
}
