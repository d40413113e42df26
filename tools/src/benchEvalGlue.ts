// `pnpm bench:eval`, second part: GLUE/SuperGLUE-shaped scoring on the 150M-shaped model (12 × 768,
// 768/768/3072 parameter tokens; vocabulary 4096 from a BPE trained on the State of the Union
// corpus: 116M parameters), on wasm and on webgpu (Dawn; SwiftShader where there is no
// GPU): BoolQ documents (a ~60-word passage, a question, the two choices " no" / " yes") built by
// the evaluator's own boolq task, scored in batches of 8 as the harness sorts them. Prints requests/s
// per backend. Options: --docs=N (wasm, default 16; webgpu gets an eighth, at least 2) --json=FILE
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { TASKS, TokenFormerLM, rowsOf, type LoglikelihoodRequest, type MultipleChoiceDoc } from '@tokenformer/evaluator';
import { preset, TokenFormer } from '@tokenformer/model';
import { startBackend } from '@tokenformer/node-runtime';
import { sotuTexts } from '@tokenformer/testing/text';
import { BpeTrainer } from '@tokenformer/tokenizer';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const docs = Number(args.docs ?? 16);

/** BoolQ rows from the corpus: 60-word passages and a yes/no question about each. */
function boolqRows(texts: string[], n: number): Record<string, unknown>[] {
  const words = texts.join(' ').split(/\s+/).filter(Boolean);
  return Array.from({ length: n }, (_, i) => ({ passage: words.slice(i * 60, i * 60 + 60).join(' '), question: `is the union ${i % 2 ? 'strong' : 'weak'}`, label: i % 2 }));
}

async function main(): Promise<void> {
  const texts = sotuTexts();
  const trainer = new BpeTrainer({ vocabSize: 4096, specialTokens: ['<|endoftext|>'] });
  for (const t of texts.slice(0, 40)) trainer.feed(t);
  const tokenizer = trainer.train();
  const report: { backend: string; requests: number; seconds: number; requestsPerSec: number }[] = [];
  for (const choice of ['wasm', 'webgpu'] as const) {
    let backend: string;
    try {
      backend = await startBackend(choice);
    } catch (e) {
      console.log(`glue [${choice}]: not run (${(e as Error).message})`);
      continue;
    }
    const n = choice === 'wasm' ? docs : Math.max(2, Math.floor(docs / 8));
    const requests: LoglikelihoodRequest[] = rowsOf(boolqRows(texts.slice(-10), n), 'boolq.jsonl').flatMap((row) => (TASKS.get('boolq')!.toDoc(row) as MultipleChoiceDoc).requests);
    const model = new TokenFormer(preset('tokenformer-150m', { vocabSize: 4096, maxSeqLen: 256 }), { seed: 1 });
    const lm = new TokenFormerLM(model, tokenizer, { batchSize: 8 });
    await lm.loglikelihood(requests.slice(0, 8)); // warm-up (shaders, buffers)
    const t0 = performance.now();
    await lm.loglikelihood(requests);
    const seconds = (performance.now() - t0) / 1000;
    report.push({ backend, requests: requests.length, seconds, requestsPerSec: requests.length / seconds });
    console.log(`glue [${backend}] 150M-shaped (${model.countParams().toLocaleString('en')} parameters), BoolQ, batch 8: ${(requests.length / seconds).toFixed(2)} requests/s (${requests.length} requests in ${seconds.toFixed(1)} s)`);
    model.dispose();
    tf.disposeVariables();
  }
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
}

await main();
