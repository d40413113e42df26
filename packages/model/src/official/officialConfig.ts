// GPT-NeoX arguments (a TokenFormer `*_eval.yml`, or JSON with the same keys, dashes or
// underscores) ↔ our TokenFormerConfig. The tensors decide what they can (vocabulary, width,
// layers, every Pattention's token count); the arguments supply the rest and are checked against
// the tensors. Keys a config leaves out take the released TokenFormer configs' values.
import { NORM_ACTIVATION_TYPES, type NormActivationType } from '@tokenformer/pattention';
import { CONFIG_LIMITS, SLOT_NAMES, validateConfig, type LayerSlots, type TokenFormerConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { OFFICIAL_EMBEDDING, countOfficialLayers, officialKeyTokens } from './officialNames.js';

export type NeoxArgs = Record<string, unknown>;

/** Released TokenFormer values for keys a config leaves out (`configs/tokenformer/*_eval.yml`). */
export const RELEASED_DEFAULTS = {
  pos_emb: 'rotary',
  norm: 'layernorm_nonparam',
  final_norm: 'layernorm',
  rotary_pct: 0.25,
  rotary_emb_base: 10000,
  seq_length: 2048,
  layernorm_epsilon: 1e-5,
  norm_activation_type: 'l2_norm_gelu',
  init_method_std: 0.02,
  no_weight_tying: false,
  gpt_j_residual: false,
  make_vocab_size_divisible_by: 128,
} as const;

/** GPT-NeoX accepts `hidden-size` and `hidden_size` alike; two spellings with different values are an error. */
export function normalizeNeoxArgs(raw: unknown): NeoxArgs {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('a GPT-NeoX config must be a mapping of keys to values');
  const out: NeoxArgs = {};
  for (const [key, value] of Object.entries(raw)) {
    const k = key.replace(/-/g, '_');
    if (k in out && JSON.stringify(out[k]) !== JSON.stringify(value)) {
      throw new ConfigError(`GPT-NeoX config key ${k} is given twice with different values (${JSON.stringify(out[k])}, ${JSON.stringify(value)})`);
    }
    out[k] = value;
  }
  return out;
}

function get<T>(args: NeoxArgs, key: keyof typeof RELEASED_DEFAULTS | string, kind: 'number' | 'string' | 'boolean'): T | undefined {
  const value = args[key] ?? (RELEASED_DEFAULTS as Record<string, unknown>)[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== kind) throw new ConfigError(`GPT-NeoX config ${key} must be a ${kind}, got ${JSON.stringify(value)}`);
  return value as T;
}

function requireValue(args: NeoxArgs, key: string, allowed: readonly string[]): void {
  const value = get<string>(args, key, 'string');
  if (value !== undefined && !allowed.includes(value)) {
    throw new ConfigError(`GPT-NeoX config ${key}: ${JSON.stringify(value)} is not TokenFormer's (${allowed.join(' or ')}); this model cannot represent it`);
  }
}

function contradiction(key: string, value: unknown, tensors: string): never {
  throw new ConfigError(`GPT-NeoX config ${key} = ${JSON.stringify(value)} contradicts the tensors: ${tensors}`);
}

/**
 * Builds our config from the official tensors' shapes and the GPT-NeoX arguments. Throws
 * ConfigError where an argument contradicts the tensors or names an architecture TokenFormer does
 * not have (learned positions, parametric in-block norms, untied output, GPT-J residuals).
 */
export function configFromOfficial(shapes: ReadonlyMap<string, readonly number[]>, rawArgs: unknown): TokenFormerConfig {
  const args = normalizeNeoxArgs(rawArgs);
  requireValue(args, 'pos_emb', ['rotary']);
  requireValue(args, 'norm', ['layernorm_nonparam']);
  requireValue(args, 'final_norm', ['layernorm']);
  if (get<boolean>(args, 'no_weight_tying', 'boolean')) contradiction('no_weight_tying', true, 'TokenFormer ties the output to the word embedding');
  if (get<boolean>(args, 'gpt_j_residual', 'boolean')) contradiction('gpt_j_residual', true, 'TokenFormer blocks are sequential pre-norm');

  const embedding = shapes.get(OFFICIAL_EMBEDDING);
  if (!embedding || embedding.length !== 2) throw new ConfigError(`the checkpoint has no 2-D ${OFFICIAL_EMBEDDING}`);
  const [vocabSize, hiddenSize] = embedding as [number, number];
  const numLayers = countOfficialLayers(shapes.keys());
  if (numLayers === 0) throw new ConfigError('the checkpoint has no sequential.{i}.attention.query.key_param_tokens: not a TokenFormer state dict');

  const check = (key: string, expected: number, what: string) => {
    const value = get<number>(args, key, 'number');
    if (value !== undefined && value !== expected) contradiction(key, value, `${what} is ${expected}`);
  };
  check('hidden_size', hiddenSize, `${OFFICIAL_EMBEDDING} is [${embedding}], so the width`);
  check('num_layers', numLayers, 'the number of blocks');
  const attentionConfig = args.attention_config;
  if (attentionConfig !== undefined) {
    const spans = Array.isArray(attentionConfig) ? attentionConfig : [];
    let total = 0;
    for (const span of spans) {
      const [types, count] = Array.isArray(span) ? span : [];
      if (!Array.isArray(types) || types.some((t) => t !== 'tokenformer') || typeof count !== 'number') {
        throw new ConfigError(`GPT-NeoX config attention_config ${JSON.stringify(attentionConfig)}: only [[["tokenformer"], L]] layers are TokenFormer`);
      }
      total += count;
    }
    if (total !== numLayers) contradiction('attention_config', attentionConfig, `the checkpoint has ${numLayers} blocks`);
  }

  const layers: LayerSlots[] = [];
  for (let i = 0; i < numLayers; i++) {
    const slots = {} as LayerSlots;
    for (const slot of SLOT_NAMES) {
      const name = officialKeyTokens(i, slot);
      const shape = shapes.get(name);
      if (!shape || shape.length !== 2) throw new ConfigError(`the checkpoint lacks a 2-D ${name} (block ${i} of ${numLayers})`);
      if (shape[1] !== hiddenSize) throw new ConfigError(`${name} is [${shape}]; its tokens must be ${hiddenSize} wide`);
      slots[slot] = { paramTokenNum: shape[0]!, tau: null };
    }
    const key = (slot: 'query' | 'proj' | 'ffn') => (slot === 'query' ? 'qkv_slot_num' : `${slot}_slot_num`);
    for (const slot of ['query', 'proj', 'ffn'] as const) check(key(slot), slots[slot].paramTokenNum, `${officialKeyTokens(i, slot)} has ${slots[slot].paramTokenNum} tokens, so ${key(slot)}`);
    if (slots.key.paramTokenNum !== slots.query.paramTokenNum || slots.value.paramTokenNum !== slots.query.paramTokenNum) {
      throw new ConfigError(`block ${i}: query/key/value have ${slots.query.paramTokenNum}/${slots.key.paramTokenNum}/${slots.value.paramTokenNum} tokens; GPT-NeoX's qkv_slot_num gives all three the same count`);
    }
    layers.push(slots);
  }

  const heads = get<number>(args, 'num_attention_heads', 'number');
  if (heads === undefined) throw new ConfigError('GPT-NeoX config num_attention_heads is required (the tensors cannot tell the head count)');
  // both are read and checked, even when max_position_embeddings decides (a seq_length of "abc" or 1e12
  // beside it used to pass unnoticed); training never runs past the positions the model has
  const seqLength = get<number>(args, 'seq_length', 'number'); // the released default (2048) when absent
  const maxPositions = get<number>(args, 'max_position_embeddings', 'number');
  for (const [key, v] of [['seq_length', seqLength], ['max_position_embeddings', maxPositions]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > CONFIG_LIMITS.maxSeqLen)) throw new ConfigError(`GPT-NeoX config ${key} = ${v} must be an integer in [1, ${CONFIG_LIMITS.maxSeqLen}]`);
  }
  if (args.seq_length !== undefined && maxPositions !== undefined && seqLength! > maxPositions) {
    throw new ConfigError(`GPT-NeoX config seq_length = ${seqLength} is longer than max_position_embeddings = ${maxPositions}`);
  }
  const maxSeqLen = maxPositions ?? seqLength!;
  const divisible = get<number>(args, 'make_vocab_size_divisible_by', 'number')!;
  if (vocabSize % divisible !== 0) contradiction('make_vocab_size_divisible_by', divisible, `the embedding has ${vocabSize} rows`);
  const norm = get<string>(args, 'norm_activation_type', 'string') as NormActivationType;
  if (!NORM_ACTIVATION_TYPES.includes(norm)) throw new ConfigError(`GPT-NeoX config norm_activation_type ${JSON.stringify(norm)} is not one of ${NORM_ACTIVATION_TYPES.join(', ')}`);
  return validateConfig({
    vocabSize,
    hiddenSize,
    numLayers,
    numAttentionHeads: heads,
    layers,
    rotaryPct: get<number>(args, 'rotary_pct', 'number')!,
    rotaryEmbBase: get<number>(args, 'rotary_emb_base', 'number')!,
    maxSeqLen,
    normActivationType: norm,
    layerNormEps: get<number>(args, 'layernorm_epsilon', 'number')!,
    initMethodStd: get<number>(args, 'init_method_std', 'number')!,
  });
}

export interface NeoxArgsOptions {
  /** The tokenizer's own vocabulary size, to choose `make_vocab_size_divisible_by` so GPT-NeoX pads it to our vocabSize. */
  tokenizerVocabSize?: number;
  /** Accept a pinned τ anyway (GPT-NeoX will use √n, which changes the model's function). */
  allowTauChange?: boolean;
}

/**
 * The GPT-NeoX arguments that rebuild this architecture (merge them into a TokenFormer train or
 * eval yml). Throws ConfigError for what GPT-NeoX cannot express: per-layer token counts that
 * differ, q/k/v counts that differ, or a pinned τ (exact growth; GPT-NeoX always uses √n).
 */
export function neoxArgsFromConfig(config: TokenFormerConfig, options: NeoxArgsOptions = {}): Record<string, unknown> {
  const first = config.layers[0]!;
  config.layers.forEach((layer, i) => {
    for (const slot of SLOT_NAMES) {
      const same = slot === 'key' || slot === 'value' ? 'query' : slot;
      if (layer[slot].paramTokenNum !== first[same].paramTokenNum) {
        throw new ConfigError(`layers[${i}].${slot} has ${layer[slot].paramTokenNum} tokens where layers[0].${same} has ${first[same].paramTokenNum}; GPT-NeoX has one qkv/proj/ffn count for all layers`);
      }
      if (layer[slot].tau !== null && !options.allowTauChange) {
        throw new ConfigError(`layers[${i}].${slot}.tau is pinned to ${layer[slot].tau}; GPT-NeoX always uses sqrt(n) (re-grow with tau "official", or accept the change with allowTauChange)`);
      }
    }
  });
  const t = options.tokenizerVocabSize;
  if (t !== undefined && t > config.vocabSize) throw new ConfigError(`the tokenizer's ${t} ids do not fit the embedding's ${config.vocabSize} rows`);
  const divisible = t === undefined || Math.ceil(t / 128) * 128 === config.vocabSize ? 128 : config.vocabSize;
  return {
    num_layers: config.numLayers,
    hidden_size: config.hiddenSize,
    num_attention_heads: config.numAttentionHeads,
    qkv_slot_num: first.query.paramTokenNum,
    proj_slot_num: first.proj.paramTokenNum,
    ffn_slot_num: first.ffn.paramTokenNum,
    seq_length: config.maxSeqLen,
    max_position_embeddings: config.maxSeqLen,
    pos_emb: 'rotary',
    rotary_pct: config.rotaryPct,
    rotary_emb_base: config.rotaryEmbBase,
    no_weight_tying: false,
    norm: 'layernorm_nonparam',
    final_norm: 'layernorm',
    layernorm_epsilon: config.layerNormEps,
    gpt_j_residual: false,
    attention_config: [[['tokenformer'], config.numLayers]],
    norm_activation_type: config.normActivationType,
    init_method: 'normal',
    output_layer_init_method: 'wang_init',
    init_method_std: config.initMethodStd,
    make_vocab_size_divisible_by: divisible,
  };
}
