// `tokenformer-eval perplexity`: held-out perplexity of text files (a .txt file is one document,
// a .jsonl file one document per row) or of an indexed dataset's documents.
import { IndexedDataset, readCorpus } from '@tokenformer/data/node';
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

/**
 * The documents of text files as the corpus readers give them (so .gz and .zst are decompressed, and
 * checked): a text file is one document, a .jsonl file one per row; a malformed row is an error
 * naming the file and line.
 */
async function readTexts(files: string[], field: string, limit = Infinity): Promise<string[]> {
  const texts: string[] = [];
  for await (const doc of readCorpus(files, { field, onMalformed: 'throw' })) {
    if (texts.length >= limit) break;
    texts.push(doc.text);
  }
  return texts;
}

export async function perplexityCommand(o: PerplexityCommandOptions): Promise<PerplexityReport & { checkpoint: string; source: string }> {
  if ((o.text === undefined) === (o.dataset === undefined)) throw new Error('perplexity needs --text FILE (repeatable) or --dataset PREFIX, not both');
  const { lm, model, checkpoint } = await loadModel(o);
  try {
    let report: PerplexityReport;
    if (o.text) {
      const texts = await readTexts(o.text, o.field, o.limit);
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
