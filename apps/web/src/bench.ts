// The page's ?bench mode: greedy generation of max_new_tokens from a prompt of random ids, once to
// warm up and once timed; the figures go to #output's data-bench (read by scripts/bench.mjs).
import type { TokenFormer } from '@tokenformer/model';
import type { PageSettings } from './params.js';

export interface BenchResult {
  backend: string;
  params: number;
  promptTokens: number;
  newTokens: number;
  prefillSeconds: number;
  decodeTokensPerSec: number;
}

export async function runBench(model: TokenFormer, s: PageSettings, backend: string): Promise<BenchResult> {
  const promptTokens = 16;
  const prompt = Array.from({ length: promptTokens }, (_, i) => (i * 7919 + 13) % model.config.vocabSize);
  const newTokens = Math.min(s.maxNewTokens, model.config.maxSeqLen - promptTokens);
  await model.generate(prompt, { maxNewTokens: 4, temperature: 0 }); // warm-up: shaders compile
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
  return { backend, params: model.countParams(), promptTokens, newTokens: count, prefillSeconds: (first - t0) / 1000, decodeTokensPerSec: count > 1 ? (count - 1) / ((end - first) / 1000) : 0 };
}
