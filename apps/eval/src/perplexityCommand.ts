// `tokenformer-eval perplexity`: held-out perplexity of text files (a .txt file is one document,
// a .jsonl file one document per row) or of an indexed dataset's documents.
import { readFileSync } from 'node:fs';
import { IndexedDataset } from '@tokenformer/data/node';
import { textPerplexity, tokenPerplexity, type PerplexityReport } from '@tokenformer/evaluator';
import { loadModel, type ModelOptions } from './load.js';
import { progressBar } from './progress.js';
import { writeFileAtomically } from '@tokenformer/node-runtime';

export interface PerplexityCommandOptions extends ModelOptions {
  text?: string[];
  dataset?: string;
  field: string;
  limit?: number;
  output?: string;
}

function readTexts(files: string[], field: string): string[] {
  const texts: string[] = [];
  for (const file of files) {
    const content = readFileSync(file, 'utf8');
    if (!file.endsWith('.jsonl')) {
      texts.push(content);
      continue;
    }
    content.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const row = JSON.parse(line) as Record<string, unknown>;
      if (typeof row[field] !== 'string') throw new Error(`${file}:${i + 1}: field ${JSON.stringify(field)} must be a string`);
      texts.push(row[field] as string);
    });
  }
  return texts;
}

export async function perplexityCommand(o: PerplexityCommandOptions): Promise<PerplexityReport & { checkpoint: string; source: string }> {
  if ((o.text === undefined) === (o.dataset === undefined)) throw new Error('perplexity needs --text FILE (repeatable) or --dataset PREFIX, not both');
  const { lm, model, checkpoint } = await loadModel(o);
  try {
    let report: PerplexityReport;
    if (o.text) {
      const texts = readTexts(o.text, o.field).slice(0, o.limit);
      const bar = progressBar('perplexity', texts.length);
      report = await textPerplexity(lm, texts, (n) => bar.update(n));
      bar.stop();
    } else {
      const ds = IndexedDataset.open(o.dataset!);
      const n = Math.min(ds.numDocuments, o.limit ?? Infinity);
      const docs = Array.from({ length: n }, (_, i) => ds.get(i));
      ds.close();
      const bar = progressBar('perplexity', docs.length);
      report = await tokenPerplexity(lm, docs, (k) => bar.update(k));
      bar.stop();
    }
    const out = { ...report, checkpoint, source: o.text ? o.text.join(', ') : o.dataset! };
    if (o.output) writeFileAtomically(o.output, `${JSON.stringify(out, null, 2)}\n`);
    return out;
  } finally {
    model.dispose();
  }
}
