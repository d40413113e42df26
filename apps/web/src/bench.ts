// The page's ?bench mode: greedy generation of max_new_tokens from a prompt of random ids, once to
// warm up and once timed, then training steps of the loaded model on a batch of random ids (the
// trainer's step: AdamW, clipping), with the dispatches of each on WebGPU; the figures go to
// #output's data-bench (read by scripts/bench.mjs).
import * as tf from '@tensorflow/tfjs-core';
import { countWebGpuDispatches, dispatchCount } from '@tokenformer/kernels/webgpu';
import type { TokenFormer } from '@tokenformer/model';
import { TrainStep } from '@tokenformer/trainer';
import type { PageSettings } from './params.js';

export interface BenchResult {
  backend: string;
  kernels: string[];
  params: number;
  promptTokens: number;
  newTokens: number;
  prefillSeconds: number;
  decodeTokensPerSec: number;
  /** Dispatches per generated token (WebGPU only; null elsewhere). */
  tokenDispatches: number | null;
  trainTokens: number;
  trainTokensPerSec: number;
  /** Dispatches per training step (WebGPU only; null elsewhere). */
  stepDispatches: number | null;
}

async function generation(model: TokenFormer, s: PageSettings): Promise<Pick<BenchResult, 'promptTokens' | 'newTokens' | 'prefillSeconds' | 'decodeTokensPerSec' | 'tokenDispatches'>> {
  const promptTokens = 16;
  const prompt = Array.from({ length: promptTokens }, (_, i) => (i * 7919 + 13) % model.config.vocabSize);
  const newTokens = Math.min(s.maxNewTokens, model.config.maxSeqLen - promptTokens);
  await model.generate(prompt, { maxNewTokens: 4, temperature: 0 }); // warm-up: shaders compile
  const d0 = dispatchCount().dispatches;
  const t0 = performance.now();
  let first = 0;
  let count = 0;
  await model.generate(prompt, {
    maxNewTokens: newTokens,
    temperature: 0,
    onToken: () => {
      if (count++ === 0) first = performance.now();
    },
  });
  const end = performance.now();
  const dispatches = dispatchCount().dispatches - d0;
  return { promptTokens, newTokens: count, prefillSeconds: (first - t0) / 1000, decodeTokensPerSec: count > 1 ? (count - 1) / ((end - first) / 1000) : 0, tokenDispatches: count > 0 ? dispatches / count : null };
}

async function training(model: TokenFormer): Promise<Pick<BenchResult, 'trainTokens' | 'trainTokensPerSec' | 'stepDispatches'>> {
  // training needs tfjs's gradients (tfjs-core alone registers none): loaded here, not at page start
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  const [batch, seq] = [2, Math.min(64, model.config.maxSeqLen - 1)];
  let x = 1;
  const data = Int32Array.from({ length: batch * (seq + 1) }, () => (x = (x * 1103515245 + 12345) >>> 0) % model.config.vocabSize);
  const step = new TrainStep(model);
  try {
    const run = () => step.run([{ data, shape: [batch, seq + 1] }], 1e-4);
    await run(); // warm-up
    const d0 = dispatchCount().dispatches;
    const t0 = performance.now();
    const steps = 2;
    for (let i = 0; i < steps; i++) await run();
    const sec = (performance.now() - t0) / 1000;
    return { trainTokens: batch * seq, trainTokensPerSec: (steps * batch * seq) / sec, stepDispatches: (dispatchCount().dispatches - d0) / steps };
  } finally {
    step.dispose();
  }
}

/** Generation, then training (which changes the weights: the page is reloaded for the next bench). */
export async function runBench(model: TokenFormer, s: PageSettings, backend: string, kernels: string[]): Promise<BenchResult> {
  const counting = countWebGpuDispatches(tf.backend());
  const g = await generation(model, s);
  const t = await training(model);
  return { backend, kernels, params: model.countParams(), ...g, ...t, ...(counting ? {} : { tokenDispatches: null, stepDispatches: null }) };
}
