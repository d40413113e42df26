// Presets: the released Pile models (reference/tokenformer.md §3.1, `configs/tokenformer/*_eval.yml`),
// the paper's 12-layer OpenWebText chain base, and small configs that train on a laptop CPU.
import { createConfig, type TokenFormerConfig, type UniformConfigArgs } from './config.js';
import { ConfigError } from './errors.js';

/** The GPT-NeoX-20B tokenizer's 50,277 ids, padded to 50,304 by createConfig. */
const NEOX_VOCAB = 50277;

const PRESET_ARGS = {
  /** TokenFormer-150M (Pile): 12 × 768, 12 heads, 768/768/3072 tokens. */
  'tokenformer-150m': { vocabSize: NEOX_VOCAB, hiddenSize: 768, numLayers: 12, numAttentionHeads: 12, qkvSlotNum: 768, projSlotNum: 768, ffnSlotNum: 3072 },
  /** TokenFormer-450M (Pile): 24 × 1024, 16 heads, 1024/1024/4096 tokens. */
  'tokenformer-450m': { vocabSize: NEOX_VOCAB, hiddenSize: 1024, numLayers: 24, numAttentionHeads: 16, qkvSlotNum: 1024, projSlotNum: 1024, ffnSlotNum: 4096 },
  /** TokenFormer-900M (Pile): 32 × 1280, 16 heads, 1280/1280/5120 tokens. */
  'tokenformer-900m': { vocabSize: NEOX_VOCAB, hiddenSize: 1280, numLayers: 32, numAttentionHeads: 16, qkvSlotNum: 1280, projSlotNum: 1280, ffnSlotNum: 5120 },
  /** TokenFormer-1.5B (Pile): 40 × 1536, 16 heads, 1536/1536/6144 tokens. */
  'tokenformer-1.5b': { vocabSize: NEOX_VOCAB, hiddenSize: 1536, numLayers: 40, numAttentionHeads: 16, qkvSlotNum: 1536, projSlotNum: 1536, ffnSlotNum: 6144 },
  /** The paper's OpenWebText base, Tokenformer-124M: 12 × 768, 576/576/2304 tokens, context 1024. */
  'tokenformer-124m-owt': { vocabSize: NEOX_VOCAB, hiddenSize: 768, numLayers: 12, numAttentionHeads: 12, qkvSlotNum: 576, projSlotNum: 576, ffnSlotNum: 2304, maxSeqLen: 1024 },
  /** The speed benchmark's config: 5.24M parameters, trains at hundreds of tokens/s on 2 CPU cores. */
  bench: { vocabSize: 4096, hiddenSize: 256, numLayers: 4, numAttentionHeads: 4, qkvSlotNum: 256, projSlotNum: 256, ffnSlotNum: 1024, maxSeqLen: 256 },
  /** A small model that learns a real corpus in minutes on a CPU (~1M parameters besides the embedding). */
  small: { vocabSize: 4096, hiddenSize: 128, numLayers: 4, numAttentionHeads: 4, qkvSlotNum: 128, projSlotNum: 128, ffnSlotNum: 512, maxSeqLen: 256 },
  /** The smallest useful model, for tests and demos. */
  tiny: { vocabSize: 256, hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 32, projSlotNum: 32, ffnSlotNum: 128, maxSeqLen: 128 },
} satisfies Record<string, UniformConfigArgs>;

export type PresetName = keyof typeof PRESET_ARGS;

export const PRESET_NAMES = Object.keys(PRESET_ARGS) as PresetName[];

/** A fresh config for a preset, with `overrides` applied to the uniform sizes first. */
export function preset(name: PresetName, overrides: Partial<UniformConfigArgs> = {}): TokenFormerConfig {
  const args = PRESET_ARGS[name];
  if (!args) {
    throw new ConfigError(`unknown preset ${JSON.stringify(name)}; known: ${PRESET_NAMES.join(', ')}`);
  }
  return createConfig({ ...args, ...overrides });
}
