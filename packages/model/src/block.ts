// One TokenFormer block (official ParallelTokenformerLayer): pre-norm, sequential residuals,
// non-parametric LayerNorms, a self-attention whose four projections are Pattentions, and one
// Pattention as the whole FFN.
//   x = x + Attention(LN(x));  x = x + FFN(LN(x))
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Pattention, wangInitStd } from '@tokenformer/pattention';
import { causalAttention } from './attentionCore.js';
import { SLOT_NAMES, type SlotName, type TokenFormerConfig } from './config.js';
import type { KVCache } from './kvCache.js';
import { layerNorm } from './layerNorm.js';
import { applyRotary, type RotaryTables } from './rotary.js';

/** Our stable tensor name of one Pattention's tokens, e.g. `layers.0.attention.query.keyParamTokens`. */
export function pattentionPrefix(layerIndex: number, slot: SlotName): string {
  return slot === 'ffn' ? `layers.${layerIndex}.mlp` : `layers.${layerIndex}.attention.${slot}`;
}

export type InitialWeights = ReadonlyMap<string, tf.Tensor>;

/** What a block needs besides its own weights. */
export interface BlockContext {
  numHeads: number;
  eps: number;
  rotary: RotaryTables;
  /** Absolute position of the first input token (the cache length when decoding). */
  offset: number;
  /** Decode incrementally: this block's keys and values are read from and appended to it. */
  cache?: KVCache;
}

export class TokenFormerBlock {
  readonly attention: Record<'query' | 'key' | 'value' | 'proj', Pattention>;
  readonly mlp: Pattention;

  constructor(config: TokenFormerConfig, readonly layerIndex: number, seed: number | undefined, weights?: InitialWeights) {
    const slots = config.layers[layerIndex]!;
    const make = (slot: SlotName, k: number) => {
      const name = pattentionPrefix(layerIndex, slot);
      return new Pattention({
        inputChannels: config.hiddenSize,
        outputChannels: config.hiddenSize,
        paramTokenNum: slots[slot].paramTokenNum,
        normActivationType: config.normActivationType,
        tau: slots[slot].tau,
        keyInitStd: config.initMethodStd,
        valueInitStd: wangInitStd(config.numLayers, config.hiddenSize),
        seed: seed === undefined ? undefined : seed + 10 * k,
        keyParamTokens: weights?.get(`${name}.keyParamTokens`) as tf.Tensor2D | undefined,
        valueParamTokens: weights?.get(`${name}.valueParamTokens`) as tf.Tensor2D | undefined,
        name,
      });
    };
    this.attention = { query: make('query', 0), key: make('key', 1), value: make('value', 2), proj: make('proj', 3) };
    this.mlp = make('ffn', 4);
  }

  /** The block's five Pattentions by slot name. */
  pattentions(): Record<SlotName, Pattention> {
    return { ...this.attention, ffn: this.mlp };
  }

  /** x [B, T, C] → [B, T, C]. Extends ctx.cache when given. The caller disposes the result. */
  apply(x: Tensor, ctx: BlockContext): Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.selfAttention(layerNorm(x, ctx.eps), ctx)); // [B, T, C]
      return tf.add(h, this.mlp.apply(layerNorm(h, ctx.eps))); // [B, T, C]
    });
  }

  /**
   * The official ParallelSelfAttention: query / key / value Pattentions, a contiguous head split,
   * partial rotary, causal softmax attention, and the proj Pattention. x [B, T, C] → [B, T, C].
   */
  private selfAttention(x: Tensor, ctx: BlockContext): Tensor {
    const [B, T, C] = x.shape as [number, number, number];
    const H = ctx.numHeads;
    const { query, key, value, proj } = this.attention;
    const split = (t: Tensor) => tf.reshape(t, [B, T, H, C / H]); // [B, T, H, hd]
    const q = swapAxes12(applyRotary(split(query.apply(x)), ctx.rotary, ctx.offset)); // [B, H, T, hd]
    let k = swapAxes12(applyRotary(split(key.apply(x)), ctx.rotary, ctx.offset)); // [B, H, T, hd]
    let v = swapAxes12(split(value.apply(x))); // [B, H, T, hd]
    const past = ctx.cache?.layers[this.layerIndex];
    if (past) {
      k = tf.concat([past.key, k], 2); // [B, H, S + T, hd]
      v = tf.concat([past.value, v], 2); // [B, H, S + T, hd]
    }
    ctx.cache?.update(this.layerIndex, k, v);
    const context = causalAttention(q, k, v, ctx.offset); // [B, H, T, hd]
    return proj.apply(tf.reshape(swapAxes12(context), [B, T, C])); // [B, T, C]
  }

  dispose(): void {
    for (const slot of SLOT_NAMES) this.pattentions()[slot].dispose();
  }
}

/** [a, b, c, d] → [a, c, b, d]; a reshape when b or c is 1 (decoding: one token), where the data order does not change. */
function swapAxes12(t: Tensor): Tensor {
  const [a, b, c, d] = t.shape as [number, number, number, number];
  return b === 1 || c === 1 ? tf.reshape(t, [a, c, b, d]) : tf.transpose(t, [0, 2, 1, 3]);
}
