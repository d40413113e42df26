// A Pattention layer that owns its key and value parameter tokens as tf.Variables. The key tokens
// are stored transposed, [d1, n] (one token per column), so the forward pass multiplies by the
// variable itself (the wasm backend then reuses its packed copy across calls); readKeyParamTokens()
// gives them in the official [n, d1] layout.
// Shaped after tfjs-layers' Dense: an args interface with a comment per field, checks in the
// constructor, apply / computeOutputShape / getConfig.
import * as tf from '@tensorflow/tfjs-core';
import type { Rank, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { PattentionConfigError, PattentionShapeError } from './errors.js';
import { KEY_INIT_STD, wangInitStd } from './init.js';
import { NORM_ACTIVATION_TYPES, type NormActivationType } from './norms.js';
import { pattentionKeysT } from './pattention.js';

export interface PattentionArgs {
  /** d1: width of the input tokens, and so of each key parameter token. */
  inputChannels: number;
  /** d2: width of the output tokens, and so of each value parameter token. */
  outputChannels: number;
  /** n: number of key/value parameter-token pairs. */
  paramTokenNum: number;
  /** Θ over the scores. Default 'l2_norm_gelu' (every released model). */
  normActivationType?: NormActivationType;
  /** Pinned scale τ; null/undefined means √n (n for softmax), recomputed from n as the official code. */
  tau?: number | null;
  /** σ of the N(0, σ) init of key tokens. Default 0.02 (official `init_method_std`). */
  keyInitStd?: number;
  /** σ of the N(0, σ) init of value tokens. Default wang_init for one layer: 2/√inputChannels. */
  valueInitStd?: number;
  /** Seed of the initialisers (tfjs's seeded normal); unseeded when absent. */
  seed?: number;
  /** Initial key tokens [n, d1] to copy instead of sampling (the layer keeps its own copy). */
  keyParamTokens?: Tensor2D;
  /** Initial value tokens [n, d2] to copy instead of sampling. */
  valueParamTokens?: Tensor2D;
  /** A label for messages and weight maps (tfjs variable names stay auto-generated, so layers never clash). */
  name?: string;
  /** Whether the variables are trainable. Default true. */
  trainable?: boolean;
}

export interface PattentionConfig {
  inputChannels: number;
  outputChannels: number;
  paramTokenNum: number;
  normActivationType: NormActivationType;
  tau: number | null;
}

let layerCount = 0;

function checkPositiveInt(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new PattentionConfigError(`${field} must be an integer >= 1, got ${value}`);
  }
}

function initial(given: Tensor2D | undefined, shape: [number, number], std: number, seed: number | undefined, field: string): Tensor2D {
  if (given) {
    if (given.shape[0] !== shape[0] || given.shape[1] !== shape[1]) {
      throw new PattentionShapeError(`${field} has shape [${given.shape}], expected [${shape}]`);
    }
    return given.clone();
  }
  return tf.randomNormal(shape, 0, std, 'float32', seed); // [n, d]
}

export class Pattention {
  readonly keyParamTokensT: Variable<tf.Rank.R2>; // [d1, n]
  readonly valueParamTokens: Variable<tf.Rank.R2>; // [n, d2]
  readonly config: PattentionConfig;
  readonly name: string;
  /** When set, called with each apply's weights Θ(X·K_Pᵀ) and scores X·K_Pᵀ, [M, n] (see PattentionOptions.observeWeights). */
  observeWeights?: (weights: Tensor2D, scores: Tensor2D) => void;
  /** When set, each apply keeps only each row's topK largest weights (selective activation; see PattentionOptions.topK). */
  topK?: number;

  constructor(args: PattentionArgs) {
    checkPositiveInt('inputChannels', args.inputChannels);
    checkPositiveInt('outputChannels', args.outputChannels);
    checkPositiveInt('paramTokenNum', args.paramTokenNum);
    const normActivationType = args.normActivationType ?? 'l2_norm_gelu';
    if (!NORM_ACTIVATION_TYPES.includes(normActivationType)) {
      throw new PattentionConfigError(
        `normActivationType must be one of ${NORM_ACTIVATION_TYPES.join(', ')}, got ${JSON.stringify(normActivationType)}`,
      );
    }
    const tau = args.tau ?? null;
    if (tau !== null && !(Number.isFinite(tau) && tau > 0)) {
      throw new PattentionConfigError(`tau must be null or a finite number > 0, got ${tau}`);
    }
    const keyStd = args.keyInitStd ?? KEY_INIT_STD;
    const valueStd = args.valueInitStd ?? wangInitStd(1, args.inputChannels);
    for (const [field, v] of [['keyInitStd', keyStd], ['valueInitStd', valueStd]] as const) {
      if (!(Number.isFinite(v) && v >= 0)) throw new PattentionConfigError(`${field} must be a finite number >= 0, got ${v}`);
    }
    this.config = {
      inputChannels: args.inputChannels,
      outputChannels: args.outputChannels,
      paramTokenNum: args.paramTokenNum,
      normActivationType,
      tau,
    };
    this.name = args.name ?? `pattention_${layerCount++}`;
    const trainable = args.trainable ?? true;
    const n = args.paramTokenNum;
    const keySeed = args.seed;
    const valueSeed = args.seed === undefined ? undefined : args.seed + 1;
    const k = initial(args.keyParamTokens, [n, args.inputChannels], keyStd, keySeed, 'keyParamTokens');
    const v = initial(args.valueParamTokens, [n, args.outputChannels], valueStd, valueSeed, 'valueParamTokens');
    const kT = tf.transpose(k); // [d1, n]
    this.keyParamTokensT = tf.variable(kT, trainable);
    this.valueParamTokens = tf.variable(v, trainable);
    k.dispose();
    kT.dispose();
    v.dispose();
  }

  /** x [..., d1] → [..., d2], of the same rank. The caller disposes the result. */
  apply<R extends Rank>(x: Tensor<R>): Tensor<R> {
    return pattentionKeysT(x, this.keyParamTokensT, this.valueParamTokens, {
      normActivationType: this.config.normActivationType,
      tau: this.config.tau,
      ...(this.observeWeights ? { observeWeights: this.observeWeights } : {}),
      ...(this.topK !== undefined ? { topK: this.topK } : {}),
    }) as Tensor<R>;
  }

  /** The key tokens in the official layout [n, d1]: a new tensor the caller disposes. */
  readKeyParamTokens(): Tensor2D {
    return tf.transpose(this.keyParamTokensT);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.config.outputChannels];
  }

  getConfig(): PattentionConfig {
    return { ...this.config };
  }

  /** The number of trainable scalars: n · (d1 + d2). */
  countParams(): number {
    return this.config.paramTokenNum * (this.config.inputChannels + this.config.outputChannels);
  }

  /** Disposes both variables. */
  dispose(): void {
    this.keyParamTokensT.dispose();
    this.valueParamTokens.dispose();
  }
}
