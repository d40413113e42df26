// `pnpm bench:eval` (also run by `pnpm bench`): loglikelihood requests per second of
// @tokenformer/evaluator on a small model (the `small` preset: d 128, 4 layers, vocab 4096 from a
// BPE trained on the State of the Union corpus), wasm, unbatched (batch 1) against batches of 8
// and 16: 96 LAMBADA-style requests of about 40 words built from the corpus. The scores of every
// batch size are checked equal before the speeds are reported. Options: --json=FILE
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { TokenFormerLM, buildCloze, type LoglikelihoodRequest } from '@tokenformer/evaluator';
import { preset, TokenFormer } from '@tokenformer/model';
import { BpeTrainer } from '@tokenformer/tokenizer';
import { sotuTexts } from '@tokenformer/testing/text';
import { startBackend } from '@tokenformer/node-runtime';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));

async function main(): Promise<void> {
  const backend = await startBackend('wasm');
  const texts = sotuTexts();
  const trainer = new BpeTrainer({ vocabSize: 4096, specialTokens: ['<|endoftext|>'] });
  for (const t of texts.slice(0, 40)) trainer.feed(t);
  const tokenizer = trainer.train();
  const model = new TokenFormer(preset('small', { vocabSize: 4096 }), { seed: 1 });
  const requests: LoglikelihoodRequest[] = buildCloze(texts.slice(-5), { maxItems: 96, contextWords: 40 }).map(({ text }) => {
    const words = text.split(' ');
    return { context: words.slice(0, -1).join(' '), continuation: ` ${words[words.length - 1]}` };
  });
  const rows: { batchSize: number; seconds: number; requestsPerSec: number }[] = [];
  let reference: number[] | undefined;
  for (const batchSize of [1, 8, 16]) {
    const lm = new TokenFormerLM(model, tokenizer, { batchSize });
    await lm.loglikelihood(requests.slice(0, batchSize)); // warm-up
    const t0 = performance.now();
    const scored = await lm.loglikelihood(requests);
    const seconds = (performance.now() - t0) / 1000;
    const lls = scored.map((r) => r.logprob);
    reference ??= lls;
    const maxDiff = Math.max(...lls.map((v, i) => Math.abs(v - reference![i]!)));
    if (maxDiff > 1e-3) throw new Error(`batch ${batchSize} scores differ from batch 1 by ${maxDiff}`);
    rows.push({ batchSize, seconds, requestsPerSec: requests.length / seconds });
    console.log(`loglikelihood [${backend}] batch ${String(batchSize).padStart(2)}: ${(requests.length / seconds).toFixed(1)} requests/s (${requests.length} requests in ${seconds.toFixed(2)} s; max |Δ| vs batch 1 ${maxDiff.toExponential(1)})`);
  }
  model.dispose();
  const report = { backend, model: 'small (vocab 4096)', requests: requests.length, rows, speedup: rows[rows.length - 1]!.requestsPerSec / rows[0]!.requestsPerSec };
  console.log(`batched (16) vs unbatched: ${report.speedup.toFixed(2)}x`);
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
}

await main();
