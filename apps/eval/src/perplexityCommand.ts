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

/** The first `limit` documents of an indexed dataset. */
function readDataset(prefix: string, limit = Infinity): Int32Array[] {
  const ds = IndexedDataset.open(prefix);
  try {
    return Array.from({ length: Math.min(ds.numDocuments, limit) }, (_, i) => ds.get(i));
  } finally {
    ds.close();
  }
}

export async function perplexityCommand(o: PerplexityCommandOptions): Promise<PerplexityReport & { checkpoint: string; source: string }> {
  if ((o.text === undefined) === (o.dataset === undefined)) throw new Error('perplexity needs --text FILE (repeatable) or --dataset PREFIX, not both');
  // the documents are read, and an empty source refused, before the model loads
  const texts = o.text ? await readTexts(o.text, o.field, o.limit) : null;
  const docs = texts ? null : readDataset(o.dataset!, o.limit);
  if (texts ? !texts.some((t) => t.length > 0) : docs!.length === 0) {
    throw new Error(`${o.text ? o.text.join(', ') : o.dataset}: no text to score (${texts ? (texts.length === 0 ? 'no documents' : `${texts.length} documents, all empty`) : 'the dataset has no documents'})`);
  }
  const { lm, model, checkpoint } = await loadModel(o);
  try {
    let report: PerplexityReport;
    if (texts) {
      const bar = progressBar('perplexity', texts.length);
      report = await textPerplexity(lm, texts, (n) => bar.update(n));
      bar.stop();
    } else {
      const bar = progressBar('perplexity', docs!.length);
      report = await tokenPerplexity(lm, docs!, (k) => bar.update(k));
      bar.stop();
    }
    const out = { ...report, checkpoint, source: o.text ? o.text.join(', ') : o.dataset! };
    if (o.output) writeFileAtomically(o.output, `${JSON.stringify(out, null, 2)}\n`);
    return out;
  } finally {
    model.dispose();
  }
}
