// The self-attention of a TokenFormer block (official ParallelSelfAttention): separate query /
// key / value Pattentions, a contiguous head split, partial rotary, causal softmax attention,
// and the proj Pattention.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Pattention } from '@tokenformer/pattention';
import { causalAttention } from './attentionCore.js';
import type { KVCache } from './kvCache.js';
import { applyRotary, type RotaryTables } from './rotary.js';

export interface AttentionPattentions {
  query: Pattention;
  key: Pattention;
  value: Pattention;
  proj: Pattention;
}

export interface AttentionContext {
  numHeads: number;
  rotary: RotaryTables;
  /** Absolute position of the first input token (the cache length when decoding). */
  offset: number;
  cache?: KVCache;
  layerIndex: number;
}

/** x [B, T, C] → [B, T, C]. Updates ctx.cache when given. The caller disposes the result. */
export function selfAttention(x: Tensor, p: AttentionPattentions, ctx: AttentionContext): Tensor {
  return tf.tidy(() => {
    const [B, T, C] = x.shape as [number, number, number];
    const H = ctx.numHeads;
    const hd = C / H;
    const split = (t: Tensor) => tf.reshape(t, [B, T, H, hd]); // [B, T, H, hd]
    const q = applyRotary(split(p.query.apply(x)), ctx.rotary, ctx.offset); // [B, T, H, hd]
    const k = applyRotary(split(p.key.apply(x)), ctx.rotary, ctx.offset); // [B, T, H, hd]
    const v = split(p.value.apply(x)); // [B, T, H, hd]
    const toHeads = (t: Tensor) => swapAxes12(t); // [B, H, T, hd]
    let keys = toHeads(k);
    let values = toHeads(v);
    const past = ctx.cache?.layers[ctx.layerIndex];
    if (past) {
      keys = tf.concat([past.key, keys], 2); // [B, H, S + T, hd]
      values = tf.concat([past.value, values], 2); // [B, H, S + T, hd]
    }
    if (ctx.cache) ctx.cache.update(ctx.layerIndex, keys, values);
    const context = causalAttention(toHeads(q), keys, values, ctx.offset); // [B, H, T, hd]
    const merged = tf.reshape(swapAxes12(context), [B, T, C]); // [B, T, C]
    return p.proj.apply(merged); // [B, T, C]
  });
}

/**
 * [a, b, c, d] → [a, c, b, d]. When b or c is 1 (decoding: one token) the data order does not
 * change, and a reshape saves tfjs-wasm's Transpose kernel (0.05 ms for [1, 1, 4, 64]).
 */
function swapAxes12(t: Tensor): Tensor {
  const [a, b, c, d] = t.shape as [number, number, number, number];
  return b === 1 || c === 1 ? tf.reshape(t, [a, c, b, d]) : tf.transpose(t, [0, 2, 1, 3]);
}
