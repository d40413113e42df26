// The main job's evaluation: the trained model on the held-out (validation) split of its corpus,
// with @tokenformer/evaluator. Perplexity and bits per byte over every held-out document (the
// harness's rolling windows), and a LAMBADA-style cloze task built from the same text (the last word
// of a passage, scored as lambada_openai scores it). The cloze rows are written in lambada_openai's
// format so `tokenformer-eval --tasks lambada_openai --data-dir <eval dir>` scores them again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexedDataset } from '@tokenformer/data/node';
import { TokenFormerLM, buildCloze, evaluate, lambadaOpenai, parseJsonl, resultsTable, tokenPerplexity, type EvaluationResults, type PerplexityReport } from '@tokenformer/evaluator';
import { loadCheckpoint } from '@tokenformer/model/node';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { resolveCheckpoint } from '@tokenformer/trainer/node';
import { readPrepared } from './prepare.js';

export interface HeldOutOptions {
  /** A run directory (its best checkpoint) or a checkpoint directory. */
  checkpoint: string;
  /** What `tokenformer prepare` wrote. */
  data: string;
  /** Where the cloze rows and evaluation.json go. */
  out: string;
  /** Cloze passages (default 300) and their words of context (default 40). */
  clozeItems?: number;
  clozeContextWords?: number;
}

export interface HeldOutEvaluation {
  perplexity: PerplexityReport;
  cloze: { items: number; acc: number; accStderr: number | string; perplexity: number; perplexityStderr: number | string };
  results: EvaluationResults;
  seconds: number;
}

export async function evaluateHeldOut(o: HeldOutOptions): Promise<HeldOutEvaluation> {
  const started = Date.now();
  const prepared = readPrepared(o.data);
  if (!prepared.valid) throw new Error(`${o.data} has no validation split to evaluate on`);
  const checkpoint = resolveCheckpoint(o.checkpoint, 'best');
  const tokenizer = loadTokenizer(join(checkpoint, 'tokenizer.json'));
  const model = await loadCheckpoint(checkpoint);
  try {
    const lm = new TokenFormerLM(model, tokenizer, { batchSize: 16 });
    const ds = IndexedDataset.open(join(o.data, prepared.valid.prefix));
    const documents: Int32Array[] = [];
    for (let i = 0; i < ds.numDocuments; i++) {
      const ids = ds.get(i);
      documents.push(ids[ids.length - 1] === prepared.eod ? ids.subarray(0, ids.length - 1) : ids); // the appended EOD is not text
    }
    ds.close();
    const perplexity = await tokenPerplexity(lm, documents);
    const texts = documents.map((d) => tokenizer.decode(Array.from(d)));
    const rows = buildCloze(texts, { maxItems: o.clozeItems ?? 300, contextWords: o.clozeContextWords ?? 40 });
    mkdirSync(o.out, { recursive: true });
    const clozeFile = join(o.out, lambadaOpenai.file);
    const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
    writeFileSync(clozeFile, `${jsonl}\n`);
    const results = await evaluate(lm, [{ task: lambadaOpenai, rows: parseJsonl(jsonl, clozeFile) }]);
    results.config = { ...results.config, checkpoint, data: o.data, max_length: lm.maxLength, task_data: 'a LAMBADA-style cloze built from the held-out split (lambada_openai format)' };
    const r = results.results[lambadaOpenai.name]!;
    const evaluation: HeldOutEvaluation = {
      perplexity,
      cloze: { items: rows.length, acc: r['acc,none'] as number, accStderr: r['acc_stderr,none']!, perplexity: r['perplexity,none'] as number, perplexityStderr: r['perplexity_stderr,none']! },
      results,
      seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(join(o.out, 'evaluation.json'), `${JSON.stringify({ heldOutPerplexity: perplexity, ...results }, null, 2)}\n`);
    return evaluation;
  } finally {
    model.dispose();
  }
}

/** The report's evaluation section. */
export function heldOutMarkdown(e: HeldOutEvaluation): string {
  const p = e.perplexity;
  const fmt = (v: number | string, digits = 3) => (typeof v === 'number' ? v.toFixed(digits) : v);
  return `## Evaluation on the held-out split

Scored with \`@tokenformer/evaluator\` (lm-evaluation-harness 0.4.9 arithmetic: rolling windows for
perplexity, lambada_openai's scoring for the cloze) in ${e.seconds.toFixed(1)} s.

| | |
|---|---|
| held-out documents | ${p.documents} (${p.tokens.toLocaleString('en')} tokens, ${p.bytes.toLocaleString('en')} bytes) |
| loss | ${fmt(p.natsPerToken, 4)} nats/token |
| token perplexity | ${fmt(p.tokenPerplexity, 2)} |
| bits per byte | ${fmt(p.bitsPerByte, 4)} |
| word perplexity | ${fmt(p.wordPerplexity, 2)} |
| cloze: last word of ${e.cloze.items} held-out passages, accuracy | ${fmt(e.cloze.acc, 4)} ± ${fmt(e.cloze.accStderr, 4)} |
| cloze: perplexity of the last word | ${fmt(e.cloze.perplexity, 1)} ± ${fmt(e.cloze.perplexityStderr, 1)} |

${resultsTable(e.results)}`;
}
