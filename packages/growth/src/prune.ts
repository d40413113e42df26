// Pruning, the inverse of growth: drop each chosen Pattention's least important parameter tokens
// (by `scoreTokens`) down to a fraction of its count, keeping the rest in their order, and set τ.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { pattentionPrefix, SLOT_NAMES, tensorShapes, validateConfig, type SlotName, type TokenFormerConfig } from '@tokenformer/model';
import { defaultTau } from '@tokenformer/pattention';
import { checkLayers, checkSlot, checkWeights, momentOf } from './checks.js';
import { GrowthError } from './errors.js';
import type { GrownPattention } from './grow.js';
import type { TokenScores } from './importance.js';

export interface PruneOptions {
  /** Fraction of each pruned Pattention's tokens to keep, in (0, 1]; at least one token stays. */
  keep: number;
  /** Which Pattentions: default all five kinds. */
  slots?: readonly SlotName[];
  /** Which layers (0-based): default all. */
  layers?: readonly number[];
  /**
   * τ after pruning. `calibrated` (default): τ times the kept share of the normaliser on the
   * calibration data (its square root for the L2 variants), so the normalised scores of the kept
   * tokens stay where they were on average; `keep`: the τ it was trained with; `official`: √n of
   * the new count (n for softmax), as the official code recomputes it.
   */
  tau?: 'calibrated' | 'keep' | 'official';
}

/** One Pattention that was pruned: its token count and τ before and after. */
export type PrunedPattention = GrownPattention;

export interface Pruning {
  config: TokenFormerConfig;
  /** Every tensor of the pruned model: new tensors the caller disposes. */
  weights: Map<string, Tensor>;
  optimizerState?: Map<string, Tensor>;
  pruned: PrunedPattention[];
}

/** Indices of the `k` highest scores, in increasing index order. */
function topIndices(scores: Float32Array, k: number): number[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, k).sort((a, b) => a - b);
}

/** The pruning request checked against the model (cheap: call it before scoring). Throws GrowthError. */
export function resolvePrune(config: TokenFormerConfig, options: PruneOptions): { keep: number; slots: readonly SlotName[]; layers: readonly number[]; tau: 'calibrated' | 'keep' | 'official' } {
  const { keep } = options;
  if (!(keep > 0 && keep <= 1)) throw new GrowthError(`keep = ${keep}: the fraction of tokens to keep must be in (0, 1]`);
  const slots = (options.slots ?? SLOT_NAMES).map((s) => checkSlot(s, `slot ${s}`));
  const layers = checkLayers(config, options.layers);
  const tau = options.tau ?? 'calibrated';
  if (!['calibrated', 'keep', 'official'].includes(tau)) throw new GrowthError(`tau ${JSON.stringify(tau)}: choose calibrated, keep or official`);
  return { keep, slots, layers, tau };
}

export function prune(config: TokenFormerConfig, weights: Map<string, Tensor>, scores: TokenScores, options: PruneOptions, optimizerState?: Map<string, Tensor>): Pruning {
  const { keep, slots, layers, tau } = resolvePrune(config, options);
  const shapes = tensorShapes(config);
  checkWeights(weights, shapes);

  const next = structuredClone(config);
  const pruned: PrunedPattention[] = [];
  const kept = new Map<string, tf.Tensor1D>(); // tensor name -> row indices to keep
  try {
    for (const layer of layers) {
      for (const slot of slots) {
        const prefix = pattentionPrefix(layer, slot);
        const s = next.layers[layer]![slot];
        const score = scores.get(prefix);
        if (!score || score.importance.length !== s.paramTokenNum) {
          throw new GrowthError(`scores for ${prefix}: ${score ? `${score.importance.length} values` : 'none'}, the model has ${s.paramTokenNum} tokens there`);
        }
        const to = Math.max(1, Math.ceil(s.paramTokenNum * keep));
        const tauBefore = s.tau ?? defaultTau(config.normActivationType, s.paramTokenNum);
        const indices = topIndices(score.importance, to);
        const keptShare = indices.reduce((sum, j) => sum + score.normShare[j]!, 0);
        const calibrated = tauBefore * (config.normActivationType === 'softmax' ? keptShare : Math.sqrt(keptShare));
        const tauAfter = tau === 'official' ? defaultTau(config.normActivationType, to) : tau === 'keep' || to === s.paramTokenNum ? tauBefore : calibrated;
        const rows = tf.tensor1d(indices, 'int32');
        kept.set(`${prefix}.keyParamTokens`, rows);
        kept.set(`${prefix}.valueParamTokens`, rows);
        pruned.push({ layer, slot, from: s.paramTokenNum, to, tauBefore, tauAfter });
        s.paramTokenNum = to;
        s.tau = tau === 'official' ? null : tauAfter;
      }
    }
    const take = (name: string, t: Tensor): Tensor => {
      const rows = kept.get(name);
      return rows ? tf.gather(t, rows) : t.clone(); // [kept, d]
    };
    const out = new Map<string, Tensor>();
    for (const name of shapes.keys()) out.set(name, take(name, weights.get(name)!));
    let state: Map<string, Tensor> | undefined;
    if (optimizerState) {
      state = new Map();
      for (const [key, t] of optimizerState) state.set(key, take(momentOf(optimizerState, key, shapes), t));
    }
    return { config: validateConfig(next), weights: out, optimizerState: state, pruned };
  } finally {
    tf.dispose([...new Set(kept.values())]);
  }
}
