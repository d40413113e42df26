// TokenFormerConfig: the whole architecture as one typed object, stored in a checkpoint's
// config.json (camelCase keys, `"format": "tokenformer-ts/1"`). Names follow the official
// GPT-NeoX arguments (hidden_size, num_layers, qkv_slot_num, rotary_pct, ...), camelCased.
import { NORM_ACTIVATION_TYPES, type NormActivationType } from '@tokenformer/pattention';
import { ConfigError } from './errors.js';

export const CONFIG_FORMAT = 'tokenformer-ts/1';

/** One Pattention's size and scale. */
export interface PattentionSlot {
  /** n: number of key/value parameter-token pairs. */
  paramTokenNum: number;
  /** τ: null = recomputed from n (√n; n for softmax), as the official code; a number = pinned (exact growth). */
  tau: number | null;
}

/** The five Pattentions of one block. */
export interface LayerSlots {
  query: PattentionSlot;
  key: PattentionSlot;
  value: PattentionSlot;
  proj: PattentionSlot;
  ffn: PattentionSlot;
}

export const SLOT_NAMES = ['query', 'key', 'value', 'proj', 'ffn'] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

export interface TokenFormerConfig {
  /** Rows of the (tied) word embedding: the tokenizer's vocabulary padded to a multiple of 128 (GPT-NeoX-20B: 50,277 → 50,304). */
  vocabSize: number;
  /** d: width of every token, and of every key/value parameter token. */
  hiddenSize: number;
  /** Number of TokenFormer blocks. */
  numLayers: number;
  /** Heads of the token-token attention; hiddenSize must divide by it. */
  numAttentionHeads: number;
  /** Per-layer parameter-token counts and τ of query/key/value/proj/ffn; length numLayers. */
  layers: LayerSlots[];
  /** Fraction of each head's dims that get rotary embeddings (official 0.25; GPT-NeoX rotate_half layout). */
  rotaryPct: number;
  /** Rotary base (official 10000). */
  rotaryEmbBase: number;
  /** Longest sequence (prompt + generated) the model accepts: the official `seq_length`, 2048. */
  maxSeqLen: number;
  /** Θ of every Pattention (official default 'l2_norm_gelu'). */
  normActivationType: NormActivationType;
  /** ε of the non-parametric in-block LayerNorms and the final LayerNorm (official 1e-5). */
  layerNormEps: number;
  /** σ of the N(0, σ) init of key tokens and word embeddings (official `init_method_std` 0.02); values use wang_init. */
  initMethodStd: number;
}

/** The uniform sizes the official configs use: one count for q/k/v, one for proj, one for the FFN. */
export interface UniformConfigArgs {
  /** The tokenizer's vocabulary; padded up to a multiple of `makeVocabSizeDivisibleBy`. */
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numAttentionHeads: number;
  qkvSlotNum: number;
  projSlotNum: number;
  ffnSlotNum: number;
  /** Padding multiple of the vocabulary (official `make_vocab_size_divisible_by`, 128). */
  makeVocabSizeDivisibleBy?: number;
  rotaryPct?: number;
  rotaryEmbBase?: number;
  maxSeqLen?: number;
  normActivationType?: NormActivationType;
  layerNormEps?: number;
  initMethodStd?: number;
}

/** Rounds the vocabulary up as GPT-NeoX does: 50,277 → 50,304 for a multiple of 128. */
export function padVocabSize(vocabSize: number, multiple = 128): number {
  return Math.ceil(vocabSize / multiple) * multiple;
}

/** Builds a full config from the official uniform sizes, filling the official defaults. */
export function createConfig(args: UniformConfigArgs): TokenFormerConfig {
  const slot = (n: number): PattentionSlot => ({ paramTokenNum: n, tau: null });
  const config: TokenFormerConfig = {
    vocabSize: padVocabSize(args.vocabSize, args.makeVocabSizeDivisibleBy ?? 128),
    hiddenSize: args.hiddenSize,
    numLayers: args.numLayers,
    numAttentionHeads: args.numAttentionHeads,
    layers: Array.from({ length: args.numLayers }, () => ({
      query: slot(args.qkvSlotNum),
      key: slot(args.qkvSlotNum),
      value: slot(args.qkvSlotNum),
      proj: slot(args.projSlotNum),
      ffn: slot(args.ffnSlotNum),
    })),
    rotaryPct: args.rotaryPct ?? 0.25,
    rotaryEmbBase: args.rotaryEmbBase ?? 10000,
    maxSeqLen: args.maxSeqLen ?? 2048,
    normActivationType: args.normActivationType ?? 'l2_norm_gelu',
    layerNormEps: args.layerNormEps ?? 1e-5,
    initMethodStd: args.initMethodStd ?? 0.02,
  };
  return validateConfig(config);
}

/**
 * The largest sizes a config may ask for (README "Limits"): far past any released model (150M-1.5B:
 * vocabulary 50,432, width up to 2,048, 24-40 layers, 2,048 positions, 8,192 tokens a Pattention),
 * small enough that no tensor reaches JavaScript's typed-array limits and nothing is allocated for
 * positions no input can have.
 */
export const CONFIG_LIMITS = {
  vocabSize: 1 << 24,
  hiddenSize: 1 << 16,
  numLayers: 1024,
  numAttentionHeads: 1 << 12,
  maxSeqLen: 1 << 20,
  paramTokenNum: 1 << 24,
  /** Elements of the largest tensor (the word embeddings or a Pattention's tokens). */
  tensorElements: 2 ** 31 - 1,
} as const;

function positiveInt(field: string, value: unknown, max?: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${field} must be an integer >= 1, got ${JSON.stringify(value)}`);
  }
  if (max !== undefined && value > max) throw new ConfigError(`${field} = ${value} is over the limit ${max}`);
}

function positiveNumber(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${field} must be a finite number > 0, got ${JSON.stringify(value)}`);
  }
}

/** Head width hiddenSize / numAttentionHeads. */
export function headDim(config: TokenFormerConfig): number {
  return config.hiddenSize / config.numAttentionHeads;
}

/** Rotary dims per head: int(headDim · rotaryPct), as GPT-NeoX. */
export function rotaryDims(config: TokenFormerConfig): number {
  return Math.floor(headDim(config) * config.rotaryPct);
}

/** Checks every field and returns the config; throws ConfigError naming the field, value and limit. */
export function validateConfig(config: TokenFormerConfig): TokenFormerConfig {
  positiveInt('vocabSize', config.vocabSize, CONFIG_LIMITS.vocabSize);
  positiveInt('hiddenSize', config.hiddenSize, CONFIG_LIMITS.hiddenSize);
  positiveInt('numLayers', config.numLayers, CONFIG_LIMITS.numLayers);
  positiveInt('numAttentionHeads', config.numAttentionHeads, CONFIG_LIMITS.numAttentionHeads);
  positiveInt('maxSeqLen', config.maxSeqLen, CONFIG_LIMITS.maxSeqLen);
  if (config.vocabSize * config.hiddenSize > CONFIG_LIMITS.tensorElements) {
    throw new ConfigError(`the word embeddings [vocabSize ${config.vocabSize}, hiddenSize ${config.hiddenSize}] would have over ${CONFIG_LIMITS.tensorElements} elements`);
  }
  positiveNumber('rotaryEmbBase', config.rotaryEmbBase);
  positiveNumber('layerNormEps', config.layerNormEps);
  if (typeof config.initMethodStd !== 'number' || !(config.initMethodStd >= 0)) {
    throw new ConfigError(`initMethodStd must be a number >= 0, got ${JSON.stringify(config.initMethodStd)}`);
  }
  if (config.hiddenSize % config.numAttentionHeads !== 0) {
    throw new ConfigError(
      `hiddenSize ${config.hiddenSize} is not divisible by numAttentionHeads ${config.numAttentionHeads}`,
    );
  }
  if (typeof config.rotaryPct !== 'number' || !(config.rotaryPct >= 0 && config.rotaryPct <= 1)) {
    throw new ConfigError(`rotaryPct must be in [0, 1], got ${JSON.stringify(config.rotaryPct)}`);
  }
  if (rotaryDims(config) % 2 !== 0) {
    throw new ConfigError(
      `rotary dims int(${headDim(config)} * ${config.rotaryPct}) = ${rotaryDims(config)} must be even (rotate_half splits them in two)`,
    );
  }
  if (!NORM_ACTIVATION_TYPES.includes(config.normActivationType)) {
    throw new ConfigError(
      `normActivationType must be one of ${NORM_ACTIVATION_TYPES.join(', ')}, got ${JSON.stringify(config.normActivationType)}`,
    );
  }
  if (!Array.isArray(config.layers) || config.layers.length !== config.numLayers) {
    throw new ConfigError(`layers must list ${config.numLayers} layers (numLayers), got ${config.layers?.length}`);
  }
  config.layers.forEach((layer, i) => {
    for (const name of SLOT_NAMES) {
      const slot = layer?.[name];
      if (!slot) throw new ConfigError(`layers[${i}].${name} is missing`);
      positiveInt(`layers[${i}].${name}.paramTokenNum`, slot.paramTokenNum, CONFIG_LIMITS.paramTokenNum);
      if (slot.paramTokenNum * config.hiddenSize > CONFIG_LIMITS.tensorElements) {
        throw new ConfigError(`layers[${i}].${name}: [paramTokenNum ${slot.paramTokenNum}, hiddenSize ${config.hiddenSize}] would have over ${CONFIG_LIMITS.tensorElements} elements`);
      }
      if (slot.tau !== null) positiveNumber(`layers[${i}].${name}.tau`, slot.tau);
    }
  });
  return config;
}

/** Scalars in the model: tied embedding + 2·d·Σn over all Pattentions + final LayerNorm. */
export function countParams(config: TokenFormerConfig): number {
  let tokens = 0;
  for (const layer of config.layers) for (const name of SLOT_NAMES) tokens += layer[name].paramTokenNum;
  return config.vocabSize * config.hiddenSize + 2 * config.hiddenSize * tokens + 2 * config.hiddenSize;
}
