// One TokenFormer block (official ParallelTokenformerLayer): pre-norm, sequential residuals,
// non-parametric LayerNorms, and one Pattention as the whole FFN.
//   x = x + Attention(LN(x));  x = x + FFN(LN(x))
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Pattention, wangInitStd } from '@tokenformer/pattention';
import { selfAttention, type AttentionContext, type AttentionPattentions } from './attention.js';
import { SLOT_NAMES, type SlotName, type TokenFormerConfig } from './config.js';
import { layerNorm } from './layerNorm.js';

/** Our stable tensor name of one Pattention's tokens, e.g. `layers.0.attention.query.keyParamTokens`. */
export function pattentionPrefix(layerIndex: number, slot: SlotName): string {
  return slot === 'ffn' ? `layers.${layerIndex}.mlp` : `layers.${layerIndex}.attention.${slot}`;
}

export type InitialWeights = ReadonlyMap<string, tf.Tensor>;

export class TokenFormerBlock {
  readonly attention: AttentionPattentions;
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

  /** x [B, T, C] → [B, T, C]. The caller disposes the result. */
  apply(x: Tensor, eps: number, ctx: AttentionContext): Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, selfAttention(layerNorm(x, eps), this.attention, ctx)); // [B, T, C]
      return tf.add(h, this.mlp.apply(layerNorm(h, eps))); // [B, T, C]
    });
  }

  dispose(): void {
    for (const slot of SLOT_NAMES) this.pattentions()[slot].dispose();
  }
}
