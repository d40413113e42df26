// Importance of each parameter token on calibration data, for pruning.
//
// The score of token j of a Pattention is its mean direct contribution to the output,
// E_x |w_j(x)| · ‖v_j‖₂, where w(x) = Θ(x·K_Pᵀ) are the normalised weights of input token x and
// v_j the token's value: the output is Σ_j w_j v_j. It needs forward passes only, and is exactly 0
// for a token that never fires. Dropping tokens also shrinks the normaliser every other weight is
// divided by (the L2 norm of a score row, or softmax's sum), which inflates the rest; so scoring
// also records each token's mean share of that normaliser (`normShare`), from which `prune`
// rescales τ to keep the normalised scores where they were on average (τ policy `calibrated`).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { gelu } from '@tokenformer/pattention';
import { pattentionPrefix, SLOT_NAMES, type IdsInput, type TokenFormer } from '@tokenformer/model';

export interface PattentionScores {
  /** E|w_j|·‖v_j‖ per token. */
  importance: Float32Array;
  /**
   * Mean share of token j in its row's normaliser: E[u_j²] with u = a/‖a‖ (l2_norm_gelu) or
   * gelu(a)/‖gelu(a)‖ (gelu_l2_norm), E[softmax(a)_j] (softmax). Sums to 1 over the tokens.
   */
  normShare: Float32Array;
}

/** Per Pattention (by its tensor-name prefix, e.g. `layers.0.mlp`). */
export type TokenScores = Map<string, PattentionScores>;

/** Each row's normaliser shares [M, n] for the model's Θ. */
function shares(scores: Tensor2D, type: string): Tensor {
  if (type === 'softmax') return tf.softmax(scores, -1);
  const g = type === 'gelu_l2_norm' ? gelu(scores) : scores; // [M, n]
  const sq = tf.square(g); // [M, n]
  const total = tf.sum(sq, -1, true); // [M, 1]
  return tf.div(sq, tf.maximum(total, 1e-30)); // [M, n]
}

/** Score every parameter token of `model` on the calibration batches (ids [B, T] each). */
export async function scoreTokens(model: TokenFormer, batches: readonly IdsInput[]): Promise<TokenScores> {
  const sums = new Map<string, [Tensor, Tensor]>(); // prefix -> [Σ |w|, Σ share], each [n]
  const rows = new Map<string, number>(); // prefix -> input tokens seen
  const layers = model.blocks.map((block, i) => ({ i, pattentions: block.pattentions() }));
  const type = model.config.normActivationType;
  try {
    for (const { i, pattentions } of layers) {
      for (const slot of SLOT_NAMES) {
        const prefix = pattentionPrefix(i, slot);
        pattentions[slot].observeWeights = (w: Tensor2D, a: Tensor2D) => {
          const batch = [tf.sum(tf.abs(w), 0), tf.sum(shares(a, type), 0)]; // [n] each
          rows.set(prefix, (rows.get(prefix) ?? 0) + w.shape[0]);
          const old = sums.get(prefix);
          sums.set(prefix, (old ? [tf.add(old[0], batch[0]!), tf.add(old[1], batch[1]!)] : batch).map((t) => tf.keep(t)) as [Tensor, Tensor]);
          if (old) tf.dispose(old);
        };
      }
    }
    for (const ids of batches) tf.dispose(model.forward(ids));
  } finally {
    for (const { pattentions } of layers) for (const slot of SLOT_NAMES) delete pattentions[slot].observeWeights;
  }
  const scores: TokenScores = new Map();
  for (const { i, pattentions } of layers) {
    for (const slot of SLOT_NAMES) {
      const prefix = pattentionPrefix(i, slot);
      const sum = sums.get(prefix);
      if (!sum) continue;
      const m = rows.get(prefix)!;
      const importance = tf.tidy(() => tf.mul(tf.div(sum[0], m), tf.norm(pattentions[slot].valueParamTokens, 'euclidean', 1))); // [n]
      const share = tf.div(sum[1], m); // [n]
      scores.set(prefix, { importance: (await importance.data()) as Float32Array, normShare: (await share.data()) as Float32Array });
      tf.dispose([importance, share, ...sum]);
    }
  }
  return scores;
}
