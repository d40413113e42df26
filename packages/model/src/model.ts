// The TokenFormer language model (official GPT-NeoX TokenFormer): tied word embeddings, L blocks,
// a parametric final LayerNorm, logits through the embedding matrix.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { activeBackendTraits } from '@tokenformer/kernels';
import { matMul2d, matMulBT } from '@tokenformer/pattention';
import { checkFitsBackend } from './backendChecks.js';
import { TokenFormerBlock, pattentionPrefix, type InitialWeights } from './block.js';
import { countParams, rotaryDims, SLOT_NAMES, validateConfig, type TokenFormerConfig } from './config.js';
import { embeddingLookup } from './embedding.js';
import { InputError } from './errors.js';
import { generate, type GenerateOptions } from './generate.js';
import { toIdsTensor, type IdsInput } from './ids.js';
import type { KVCache } from './kvCache.js';
import { layerNorm } from './layerNorm.js';
import { meanCrossEntropy, tokenCrossEntropy } from './loss.js';
import { rotaryTables, type RotaryTables } from './rotary.js';
import { TransposedCopy } from './transposedCopy.js';
import { checkWeights } from './weights.js';

export interface TokenFormerOptions {
  /** Seed of the initialisers; unseeded when absent. */
  seed?: number;
  /** Initial values by our tensor names (see `tensorShapes`); the model keeps its own copies. */
  weights?: InitialWeights;
}

export interface NamedVariable {
  variable: Variable;
  /** True when the variable holds the transpose of the checkpoint tensor (key parameter tokens). */
  transposed: boolean;
}

export interface ForwardOptions {
  /** Decode incrementally: reads and extends this cache; positions continue from its length. */
  cache?: KVCache;
}

export interface LossOptions {
  /** Targets equal to this are skipped (torch's default, -100). */
  ignoreIndex?: number;
}

export class TokenFormer {
  readonly config: TokenFormerConfig;
  readonly wordEmbeddings: Variable<tf.Rank.R2>; // [V, C]
  readonly blocks: TokenFormerBlock[];
  readonly finalNormWeight: Variable<tf.Rank.R1>; // [C]
  readonly finalNormBias: Variable<tf.Rank.R1>; // [C]
  private readonly rotary: RotaryTables;
  /** The word embeddings transposed, [C, V], for decoding where transposeB is slow (see forward). */
  private readonly unembedding = new TransposedCopy();

  constructor(config: TokenFormerConfig, options: TokenFormerOptions = {}) {
    this.config = validateConfig(structuredClone(config));
    checkFitsBackend(this.config);
    const { seed, weights } = options;
    if (weights) checkWeights(this.config, weights);
    const c = this.config;
    const d = c.hiddenSize;
    const initial = (name: string, make: () => Tensor) => {
      const given = weights?.get(name);
      return given ? given.clone() : make();
    };
    const emb = initial('wordEmbeddings', () => tf.randomNormal([c.vocabSize, d], 0, c.initMethodStd, 'float32', seed));
    this.wordEmbeddings = tf.variable(emb as Tensor2D, true);
    emb.dispose();
    this.blocks = c.layers.map((_, i) => new TokenFormerBlock(c, i, seed === undefined ? undefined : seed + 100 * (i + 1), weights));
    const w = initial('finalNorm.weight', () => tf.ones([d]));
    const b = initial('finalNorm.bias', () => tf.zeros([d]));
    this.finalNormWeight = tf.variable(w as tf.Tensor1D, true);
    this.finalNormBias = tf.variable(b as tf.Tensor1D, true);
    w.dispose();
    b.dispose();
    this.rotary = rotaryTables(rotaryDims(c), c.rotaryEmbBase, c.maxSeqLen);
  }

  /**
   * ids [B, T] (or [T]) → logits [B, T, V]. With `cache`, the ids continue the cached sequence
   * and the cache is extended. The caller disposes the logits.
   */
  forward(ids: IdsInput, options: ForwardOptions = {}): tf.Tensor3D {
    const { cache } = options;
    const offset = cache?.length ?? 0;
    return tf.tidy(() => {
      const idsTensor = toIdsTensor(ids, this.config.vocabSize); // [B, T]
      const [B, T] = idsTensor.shape;
      if (offset + T > this.config.maxSeqLen) {
        throw new InputError(
          `Cannot forward ${T} tokens after ${offset} cached ones: maxSeqLen is only ${this.config.maxSeqLen}`,
        );
      }
      const C = this.config.hiddenSize;
      const flatIds = tf.reshape(idsTensor, [B * T]) as tf.Tensor1D; // [N]
      let x: Tensor = tf.reshape(embeddingLookup(this.wordEmbeddings, flatIds), [B, T, C]); // [B, T, C]
      const ctx = { numHeads: this.config.numAttentionHeads, eps: this.config.layerNormEps, rotary: this.rotary, offset, cache };
      for (const block of this.blocks) x = block.apply(x, ctx); // [B, T, C]
      const h = tf.reshape(layerNorm(x, this.config.layerNormEps, this.finalNormWeight, this.finalNormBias), [B * T, C]) as Tensor2D; // [N, C]
      // decoding a few rows where transposeB is slow: a plain matMul by the kept transpose [C, V]
      const decodeByCopy = cache !== undefined && activeBackendTraits().slowTransposeB === true;
      const logits = decodeByCopy ? matMul2d(h, this.unembedding.of(this.wordEmbeddings)) : matMulBT(h, this.wordEmbeddings); // [N, V]
      return tf.reshape(logits, [B, T, this.config.vocabSize]) as tf.Tensor3D; // [B, T, V]
    });
  }

  private inputsAndTargets(ids: IdsInput, targets: IdsInput | undefined, ignoreIndex: number): [Tensor2D, Tensor2D] {
    const idsTensor = toIdsTensor(ids, this.config.vocabSize); // [B, T]
    if (targets === undefined) {
      const [B, T] = idsTensor.shape;
      if (T < 2) throw new InputError(`next-token loss needs at least 2 ids per row, got ${T}`);
      const inputs = tf.slice(idsTensor, [0, 0], [B, T - 1]); // [B, T-1]
      const shifted = tf.slice(idsTensor, [0, 1], [B, T - 1]); // [B, T-1]
      return [inputs, shifted];
    }
    const t = toIdsTensor(targets, this.config.vocabSize, 'targets', ignoreIndex); // [B, T]
    if (t.shape[0] !== idsTensor.shape[0] || t.shape[1] !== idsTensor.shape[1]) {
      throw new InputError(`targets have shape [${t.shape}], ids have [${idsTensor.shape}]`);
    }
    return [idsTensor, t];
  }

  /**
   * Per-token cross-entropy [B, T']: with `targets` ([B, T]) the loss of predicting them at each
   * position; without, next-token loss over ids (T' = T - 1). 0 at ignored targets. Caller disposes.
   */
  tokenLosses(ids: IdsInput, targets?: IdsInput, options: LossOptions = {}): Tensor2D {
    const ignoreIndex = options.ignoreIndex ?? -100;
    return tf.tidy(() => {
      const [inputs, t] = this.inputsAndTargets(ids, targets, ignoreIndex);
      return tokenCrossEntropy(this.forward(inputs), t, ignoreIndex); // [B, T']
    });
  }

  /** Mean next-token cross-entropy over non-ignored targets (see tokenLosses). Scalar; caller disposes. */
  loss(ids: IdsInput, targets?: IdsInput, options: LossOptions = {}): tf.Scalar {
    const ignoreIndex = options.ignoreIndex ?? -100;
    return tf.tidy(() => {
      const [inputs, t] = this.inputsAndTargets(ids, targets, ignoreIndex);
      return meanCrossEntropy(this.forward(inputs), t, ignoreIndex) as tf.Scalar; // []
    });
  }

  /** Generates after `prompt` (ids) and returns the new ids; see GenerateOptions. */
  generate(prompt: readonly number[], options: GenerateOptions = {}): Promise<number[]> {
    return generate(this, prompt, options);
  }

  /**
   * Every variable by its checkpoint name (the safetensors key). Key parameter tokens are stored
   * transposed, [d, n] (`transposed: true`); their checkpoint layout is the official [n, d].
   */
  namedVariables(): Map<string, NamedVariable> {
    const named = new Map<string, NamedVariable>();
    named.set('wordEmbeddings', { variable: this.wordEmbeddings, transposed: false });
    for (const block of this.blocks) {
      const all = block.pattentions();
      for (const slot of SLOT_NAMES) {
        const prefix = pattentionPrefix(block.layerIndex, slot);
        named.set(`${prefix}.keyParamTokens`, { variable: all[slot].keyParamTokensT, transposed: true });
        named.set(`${prefix}.valueParamTokens`, { variable: all[slot].valueParamTokens, transposed: false });
      }
    }
    named.set('finalNorm.weight', { variable: this.finalNormWeight, transposed: false });
    named.set('finalNorm.bias', { variable: this.finalNormBias, transposed: false });
    return named;
  }

  /** Every weight in the checkpoint layout, by checkpoint name: new tensors the caller disposes. */
  exportWeights(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, { variable, transposed }] of this.namedVariables()) {
      out.set(name, transposed ? tf.transpose(variable) : variable.clone());
    }
    return out;
  }

  /** The variables an optimizer updates. */
  trainableVariables(): Variable[] {
    return [...this.namedVariables().values()].map((v) => v.variable);
  }

  /**
   * Selective activation at inference: every Pattention keeps only the `k` largest normalised
   * weights of each input row (its k most active parameter tokens) and zeroes the rest; null
   * restores the full model. A Pattention with n ≤ k is unchanged, so k ≥ every n is exactly the full
   * model. For forward and generate, not for training (no gradient is defined through it).
   */
  setPattentionTopK(k: number | null): void {
    if (k !== null && !(Number.isInteger(k) && k >= 1)) throw new InputError(`pattentionTopK must be an integer >= 1 or null, got ${k}`);
    for (const block of this.blocks) {
      for (const p of Object.values(block.pattentions())) {
        if (k === null) delete p.topK;
        else p.topK = k;
      }
    }
  }

  /** Number of scalars in the model. */
  countParams(): number {
    return countParams(this.config);
  }

  /** Disposes every variable (and the decoding copy of the embeddings); the model is unusable afterwards. */
  dispose(): void {
    this.unembedding.dispose();
    this.wordEmbeddings.dispose();
    for (const block of this.blocks) block.dispose();
    this.finalNormWeight.dispose();
    this.finalNormBias.dispose();
  }
}
