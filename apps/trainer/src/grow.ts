// `tokenformer grow`: a checkpoint with more parameter tokens. The grown directory holds the
// config, the weights, the tokenizer and, when the source had one, the AdamW state grown with it
// (new tokens' moments zero). It holds no trainer state: that described the smaller model.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { grow, measureDeviation, type Deviation, type GrownPattention, type Growth, type GrowthOptions } from '@tokenformer/growth';
import { TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { deserializeOptimizerState, serializeOptimizerState } from '@tokenformer/trainer';
import { loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { resolveCheckpoint } from '@tokenformer/trainer/node';

export interface GrowCommandOptions extends GrowthOptions {
  checkpoint: string;
  out: string;
}

export interface GrowCommandResult {
  from: string;
  out: string;
  paramsBefore: number;
  paramsAfter: number;
  grown: GrownPattention[];
  /** Logits of the grown model against the source on a probe batch (exact growth: ≤ 1e-6). */
  deviation: Deviation;
}

const OPTIMIZER_FILE = 'optimizer.safetensors';
const TOKENIZER_FILE = 'tokenizer.json';

/** Deterministic probe ids [4, 32] for the deviation check. */
function probeIds(vocabSize: number, seqLen: number): number[][] {
  let x = 12345;
  return Array.from({ length: 4 }, () => Array.from({ length: Math.min(32, seqLen) }, () => (x = (x * 1103515245 + 12345) >>> 0) % vocabSize));
}

/**
 * `grow` over a model's weights and, when given, its optimizer.safetensors bytes, grown alike.
 * The caller disposes `growth.weights`.
 */
async function growWithOptimizer(config: TokenFormerConfig, weights: Map<string, tf.Tensor>, options: GrowthOptions, optimizer?: Uint8Array): Promise<{ growth: Growth; optimizer?: Uint8Array }> {
  if (!optimizer) return { growth: grow(config, weights, options) };
  const state = deserializeOptimizerState(optimizer);
  let growth: Growth;
  try {
    growth = grow(config, weights, options, state.moments);
  } finally {
    tf.dispose([...state.moments.values()]);
  }
  const moments = growth.optimizerState!;
  const bytes = await serializeOptimizerState({ step: state.step, moments });
  tf.dispose([...moments.values()]);
  return { growth, optimizer: bytes };
}

export async function growCommand(o: GrowCommandOptions): Promise<GrowCommandResult> {
  const from = resolveCheckpoint(o.checkpoint);
  const source = await loadCheckpoint(from);
  const weights = source.exportWeights();
  const paramsBefore = source.countParams();
  source.dispose();
  try {
    const optimizerPath = join(from, OPTIMIZER_FILE);
    const { growth: g, optimizer: optimizerBytes } = await growWithOptimizer(source.config, weights, o, existsSync(optimizerPath) ? new Uint8Array(readFileSync(optimizerPath)) : undefined);
    const grownModel = new TokenFormer(g.config, { weights: g.weights });
    const deviation = await measureDeviation({ config: source.config, weights }, g, probeIds(source.config.vocabSize, source.config.maxSeqLen));
    const extraFiles: Record<string, string | Uint8Array> = {};
    if (existsSync(join(from, TOKENIZER_FILE))) extraFiles[TOKENIZER_FILE] = readFileSync(join(from, TOKENIZER_FILE), 'utf8');
    if (optimizerBytes) extraFiles[OPTIMIZER_FILE] = optimizerBytes;
    await saveCheckpoint(grownModel, o.out, { extraFiles });
    const paramsAfter = grownModel.countParams();
    grownModel.dispose();
    tf.dispose([...g.weights.values()]);
    return { from, out: o.out, paramsBefore, paramsAfter, grown: g.grown, deviation };
  } finally {
    tf.dispose([...weights.values()]);
  }
}
