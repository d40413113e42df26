// Growth as pure functions: (config, weights[, optimizer state]) -> (config', weights'[, state']).
// New tokens are appended after the old ones along the token axis (the paper's Eqs. 11-12; the
// official code copies the old tokens into the prefix too). Tensors are in the checkpoint layout,
// [n, d] for key and value tokens, by the model's tensor names.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { pattentionPrefix, SLOT_NAMES, tensorShapes, validateConfig, type SlotName, type TokenFormerConfig } from '@tokenformer/model';
import { defaultTau, wangInitStd } from '@tokenformer/pattention';
import { checkWeights, momentOf } from './checks.js';
import { GrowthError } from './errors.js';
import { resolveGrowth, type GrowthOptions, type ResolvedGrowth } from './options.js';

/** One Pattention that grew (or, from `prune`, shrank). */
export interface GrownPattention {
  layer: number;
  slot: SlotName;
  /** Parameter tokens before and after. */
  from: number;
  to: number;
  /** The τ it computed with before, and after. */
  tauBefore: number;
  tauAfter: number;
}

export interface Growth {
  config: TokenFormerConfig;
  /** Every tensor of the grown model (new tensors: the caller disposes them; the inputs are untouched). */
  weights: Map<string, Tensor>;
  /** The grown optimizer state, when one was given: new tokens' moments are zero. */
  optimizerState?: Map<string, Tensor>;
  grown: GrownPattention[];
}

const KINDS = ['keyParamTokens', 'valueParamTokens'] as const;
const MOMENTS = ['exp_avg', 'exp_avg_sq'] as const;

/** The grown config alone: token counts, and τ by the policy. */
export function growConfig(config: TokenFormerConfig, options: GrowthOptions): { config: TokenFormerConfig; grown: GrownPattention[] } {
  return growConfigResolved(config, resolveGrowth(config, options));
}

function growConfigResolved(config: TokenFormerConfig, r: ResolvedGrowth): { config: TokenFormerConfig; grown: GrownPattention[] } {
  const next = structuredClone(config);
  const grown: GrownPattention[] = [];
  for (const layer of r.layers) {
    for (const slot of SLOT_NAMES) {
      const m = r.add.get(slot);
      if (!m) continue;
      const s = next.layers[layer]![slot];
      const tauBefore = s.tau ?? defaultTau(config.normActivationType, s.paramTokenNum);
      const to = s.paramTokenNum + m;
      s.paramTokenNum = to;
      s.tau = r.tau === 'exact' ? tauBefore : null;
      grown.push({ layer, slot, from: to - m, to, tauBefore, tauAfter: s.tau ?? defaultTau(config.normActivationType, to) });
    }
  }
  return { config: validateConfig(next), grown };
}

function newRows(config: TokenFormerConfig, kind: (typeof KINDS)[number], m: number, r: ResolvedGrowth, seed: number | undefined): Tensor2D {
  const d = config.hiddenSize;
  const zero = r.init === 'zero' || (kind === 'keyParamTokens' && r.init === 'zero-keys');
  if (zero) return tf.zeros([m, d]);
  const std = kind === 'keyParamTokens' ? config.initMethodStd : wangInitStd(config.numLayers, d);
  return tf.randomNormal([m, d], 0, std, 'float32', seed);
}

/**
 * Append parameter tokens to the chosen Pattentions of a model given as its config and weights
 * (and, optionally, its AdamW state by `<tensor>.exp_avg` / `<tensor>.exp_avg_sq`). With
 * `init: 'zero-keys'` and `tau: 'exact'` (the defaults) the grown model computes the same
 * function for the L2 normalisations; `official` τ changes it (see `measureDeviation`).
 */
export function grow(config: TokenFormerConfig, weights: Map<string, Tensor>, options: GrowthOptions, optimizerState?: Map<string, Tensor>): Growth {
  const r = resolveGrowth(config, options);
  const shapes = tensorShapes(config);
  checkWeights(weights, shapes);
  const { config: grownConfig, grown } = growConfigResolved(config, r);
  const appended = new Map<string, number>(); // tensor name -> tokens appended
  for (const g of grown) for (const kind of KINDS) appended.set(`${pattentionPrefix(g.layer, g.slot)}.${kind}`, g.to - g.from);

  const out = new Map<string, Tensor>();
  let index = 0;
  for (const name of shapes.keys()) {
    const old = weights.get(name)!;
    const m = appended.get(name);
    if (!m) {
      out.set(name, old.clone());
      continue;
    }
    const kind = name.endsWith('.keyParamTokens') ? 'keyParamTokens' : 'valueParamTokens';
    const seed = r.seed === undefined ? undefined : r.seed + 7919 * index++;
    out.set(name, tf.tidy(() => tf.concat([old as Tensor2D, newRows(config, kind, m, r, seed)], 0))); // [n + m, d]
  }

  let state: Map<string, Tensor> | undefined;
  if (optimizerState) {
    state = new Map();
    for (const [key, t] of optimizerState) {
      const m = appended.get(momentOf(optimizerState, key, shapes));
      state.set(key, m ? tf.tidy(() => tf.concat([t as Tensor2D, tf.zeros([m, config.hiddenSize])], 0)) : t.clone()); // [n + m, d]
    }
    for (const name of appended.keys()) {
      for (const moment of MOMENTS) if (!optimizerState.has(`${name}.${moment}`)) throw new GrowthError(`optimizer state: lacks ${name}.${moment}`);
    }
  }
  return { config: grownConfig, weights: out, optimizerState: state, grown };
}
