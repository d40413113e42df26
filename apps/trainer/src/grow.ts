// `tokenformer grow`: a checkpoint with more parameter tokens. The grown directory holds the
// config, the weights, the tokenizer and, when the source had one, the AdamW state grown with it
// (new tokens' moments zero). It holds no trainer state: that described the smaller model.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { grow, measureDeviation, type Deviation, type GrownPattention, type GrowthOptions } from '@tokenformer/growth';
import { parseSafetensors, serializeSafetensors, toFloat32, TokenFormer } from '@tokenformer/model';
import { loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { resolveCheckpoint } from './generate.js';

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

function growOptimizer(bytes: Uint8Array, run: (state: Map<string, tf.Tensor>) => Map<string, tf.Tensor>): Promise<Uint8Array> {
  const file = parseSafetensors(bytes);
  const state = new Map<string, tf.Tensor>();
  for (const [key, entry] of file.tensors) state.set(key, tf.tensor(toFloat32(entry, key), entry.shape));
  const grown = run(state);
  tf.dispose([...state.values()]);
  return (async () => {
    const out = [];
    for (const [name, t] of grown) out.push({ name, shape: t.shape, data: (await t.data()) as Float32Array });
    tf.dispose([...grown.values()]);
    return serializeSafetensors(out, file.metadata);
  })();
}

/** Grow a live model and its optimizer.safetensors bytes (the `grow` hook of a run with growAt). */
export async function growModel(model: TokenFormer, optimizer: Uint8Array, options: GrowthOptions): Promise<{ model: TokenFormer; optimizer: Uint8Array; grown: GrownPattention[] }> {
  const weights = model.exportWeights();
  try {
    let g!: ReturnType<typeof grow>;
    const bytes = await growOptimizer(optimizer, (state) => {
      g = grow(model.config, weights, options, state);
      return g.optimizerState!;
    });
    const grownModel = new TokenFormer(g.config, { weights: g.weights });
    tf.dispose([...g.weights.values()]);
    return { model: grownModel, optimizer: bytes, grown: g.grown };
  } finally {
    tf.dispose([...weights.values()]);
  }
}

export async function growCommand(o: GrowCommandOptions): Promise<GrowCommandResult> {
  const from = resolveCheckpoint(o.checkpoint);
  const source = await loadCheckpoint(from);
  const weights = source.exportWeights();
  const paramsBefore = source.countParams();
  source.dispose();
  try {
    const optimizerPath = join(from, OPTIMIZER_FILE);
    let optimizerBytes: Uint8Array | undefined;
    let g!: ReturnType<typeof grow>;
    if (existsSync(optimizerPath)) {
      optimizerBytes = await growOptimizer(new Uint8Array(readFileSync(optimizerPath)), (state) => {
        g = grow(source.config, weights, o, state);
        return g.optimizerState!;
      });
    } else g = grow(source.config, weights, o);
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
