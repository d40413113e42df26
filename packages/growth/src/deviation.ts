// How far a grown model's function is from the model it grew from: logits on the same ids.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { TokenFormer, type IdsInput, type TokenFormerConfig } from '@tokenformer/model';

export interface Deviation {
  /** max |logits_after - logits_before| over every position and vocabulary entry. */
  maxAbsLogitDiff: number;
  /** mean |logits_after - logits_before|. */
  meanAbsLogitDiff: number;
  /** mean next-token loss on the ids, before and after (nats per token). */
  lossBefore: number;
  lossAfter: number;
}

/** Compare two models (config + weights, checkpoint layout) on `ids` ([B, T], T >= 2). */
export async function measureDeviation(
  before: { config: TokenFormerConfig; weights: Map<string, Tensor> },
  after: { config: TokenFormerConfig; weights: Map<string, Tensor> },
  ids: IdsInput,
): Promise<Deviation> {
  const a = new TokenFormer(before.config, { weights: before.weights });
  const b = new TokenFormer(after.config, { weights: after.weights });
  try {
    const [diffs, losses] = tf.tidy(() => {
      const la = a.forward(ids); // [B, T, V]
      const lb = b.forward(ids); // [B, T, V]
      const abs = tf.abs(tf.sub(lb, la)); // [B, T, V]
      return [tf.stack([tf.max(abs), tf.mean(abs)]), tf.stack([a.loss(ids), b.loss(ids)])];
    });
    const [d, l] = await Promise.all([diffs.data(), losses.data()]);
    tf.dispose([diffs, losses]);
    return { maxAbsLogitDiff: d[0]!, meanAbsLogitDiff: d[1]!, lossBefore: l[0]!, lossAfter: l[1]! };
  } finally {
    a.dispose();
    b.dispose();
  }
}
