// Autoregressive generation, with the KV cache (default) or by re-running the whole sequence.
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { GenerationError } from './errors.js';
import { KVCache } from './kvCache.js';
import { mulberry32 } from './random.js';
import { sampleToken } from './sampling.js';

/**
 * The generation settings the API, the CLI and the web page share (DESIGN.md's generation options;
 * `stop` is ids here, text in the CLI and the page).
 */
export interface GenerationSettings {
  /** How many tokens to add at most. API default 32. */
  maxNewTokens: number;
  /** 0 = greedy. API default 1. */
  temperature: number;
  /** Keep the k most likely tokens; 0 = off (default). */
  topK: number;
  /** Nucleus sampling mass; 1 = off (default). */
  topP: number;
  /** Seed of the sampler; the same seed gives the same tokens. Default: random. */
  seed?: number;
}

export interface GenerateOptions extends Partial<GenerationSettings> {
  /** Token ids that end generation; the stop id itself is not returned. */
  stop?: readonly number[];
  /** Use the KV cache (default true); false re-runs the full sequence each step. */
  useCache?: boolean;
  /** Called with each new id and the logits [V] it was drawn from, as it is produced. */
  onToken?: (id: number, logits: Float32Array) => void;
}

/** What generation needs of a model (TokenFormer is one). */
export interface Decoder {
  readonly config: { readonly vocabSize: number; readonly maxSeqLen: number; readonly numLayers: number };
  /** ids [1, T] → logits [1, T, V]; with `cache`, continues the cached sequence and extends the cache. */
  forward(ids: (readonly number[])[], options?: { cache?: KVCache }): Tensor3D;
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new GenerationError(message);
}

function resolve(model: Decoder, prompt: readonly number[], o: GenerateOptions) {
  const maxNewTokens = o.maxNewTokens ?? 32;
  const temperature = o.temperature ?? 1;
  const topK = o.topK ?? 0;
  const topP = o.topP ?? 1;
  const V = model.config.vocabSize;
  check(prompt.length >= 1, 'the prompt must hold at least one token id');
  prompt.forEach((id, i) =>
    check(Number.isInteger(id) && id >= 0 && id < V, `prompt id ${id} at ${i} is outside the vocabulary [0, ${V})`),
  );
  check(Number.isInteger(maxNewTokens) && maxNewTokens >= 0, `maxNewTokens must be an integer >= 0, got ${maxNewTokens}`);
  check(Number.isFinite(temperature) && temperature >= 0, `temperature must be a finite number >= 0, got ${temperature}`);
  check(Number.isInteger(topK) && topK >= 0, `topK must be an integer >= 0, got ${topK}`);
  check(topP > 0 && topP <= 1, `topP must be in (0, 1], got ${topP}`);
  const total = prompt.length + maxNewTokens;
  check(
    total <= model.config.maxSeqLen,
    `prompt of ${prompt.length} tokens + maxNewTokens ${maxNewTokens} = ${total} exceeds maxSeqLen ${model.config.maxSeqLen}`,
  );
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 32);
  check(Number.isInteger(seed), `seed must be an integer, got ${seed}`);
  return { maxNewTokens, sampling: { temperature, topK, topP }, rand: mulberry32(seed), stop: new Set(o.stop ?? []) };
}

/** Logits of the last position of a [1, T, V] tensor, read back; disposes the tensor. */
async function lastLogits(logits: Tensor): Promise<Float32Array> {
  const [, T, V] = logits.shape as [number, number, number];
  const last = tf.slice(logits, [0, T - 1, 0], [1, 1, V]); // [1, 1, V]
  logits.dispose();
  const data = (await last.data()) as Float32Array;
  last.dispose();
  return data;
}

/** Generates after `prompt` and returns the new ids (without the prompt and without a stop id). */
export async function generate(model: Decoder, prompt: readonly number[], options: GenerateOptions = {}): Promise<number[]> {
  const { maxNewTokens, sampling, rand, stop } = resolve(model, prompt, options);
  const useCache = options.useCache ?? true;
  const cache = useCache ? new KVCache(model.config.numLayers) : undefined;
  const sequence = [...prompt];
  const generated: number[] = [];
  try {
    let next: readonly number[] = prompt;
    while (generated.length < maxNewTokens) {
      const logits = await lastLogits(cache ? model.forward([next], { cache }) : model.forward([sequence]));
      const id = sampleToken(logits, sampling, rand);
      if (stop.has(id)) break;
      generated.push(id);
      sequence.push(id);
      options.onToken?.(id, logits);
      next = [id];
    }
  } finally {
    cache?.dispose();
  }
  return generated;
}
