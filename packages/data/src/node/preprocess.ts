// Text documents -> token ids -> indexed datasets, as GPT-NeoX's `tools/datasets/preprocess_data.py
// --append-eod` does: one item per document, the end-of-document token appended. Documents go to a
// train or a validation dataset by a seeded hash of their position, so the split is deterministic
// and needs no second pass.
import { DataInputError } from '../errors.js';
import { bestFittingDtype, type TokenDtype } from '../format.js';
import { hashUniform } from '../random.js';
import type { Document } from './readers.js';
import { IndexedDatasetWriter } from './writer.js';

export interface PreprocessOptions {
  /** Text -> token ids (e.g. `tokenizer.encodeIds`). */
  encode: (text: string) => ArrayLike<number>;
  /** End-of-document id appended to each document (GPT-NeoX's --append-eod), or null for none. */
  eod: number | null;
  /** Vocabulary size: picks uint16 (< 65,500) or int32 ids. */
  vocabSize: number;
  /** Output path prefix: writes `<prefix>_text_document.{bin,idx}`, or with a validation split `<prefix>_train_text_document` and `<prefix>_valid_text_document`. */
  outputPrefix: string;
  /** Share of documents for validation, in [0, 1). Default 0. */
  validFraction?: number;
  /** Seed of the split. Default 1234. */
  seed?: number;
  /** Called every 1,000 documents. */
  onProgress?: (p: { documents: number; tokens: number; bytes: number }) => void;
}

export interface SplitReport {
  prefix: string;
  documents: number;
  tokens: number;
}

export interface PreprocessReport {
  dtype: TokenDtype;
  train: SplitReport;
  valid: SplitReport | null;
  /** Documents with no tokens (and no EOD to append), not written. */
  emptyDocuments: number;
  /** UTF-8 bytes of text read. */
  bytes: number;
  seconds: number;
}

export async function preprocess(docs: AsyncIterable<Document> | Iterable<Document>, options: PreprocessOptions): Promise<PreprocessReport> {
  const validFraction = options.validFraction ?? 0;
  if (!(validFraction >= 0 && validFraction < 1)) throw new DataInputError(`preprocess: validFraction = ${validFraction} must be in [0, 1)`);
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < 1) throw new DataInputError(`preprocess: vocabSize = ${options.vocabSize} must be a positive integer`);
  const seed = options.seed ?? 1234;
  const dtype = bestFittingDtype(options.vocabSize);
  const names = validFraction > 0 ? ['train', 'valid'] : [null];
  const writers = names.map((n) => new IndexedDatasetWriter(`${options.outputPrefix}${n ? `_${n}` : ''}_text_document`, dtype));
  const t0 = performance.now();
  let bytes = 0;
  let emptyDocuments = 0;
  let seen = 0;
  let tokens = 0;
  try {
    for await (const doc of docs) {
      const i = seen++;
      bytes += Buffer.byteLength(doc.text);
      const ids = Array.from(options.encode(doc.text));
      if (options.eod !== null) ids.push(options.eod);
      if (ids.length === 0) {
        emptyDocuments++;
        continue;
      }
      const w = validFraction > 0 && hashUniform(seed, i) < validFraction ? writers[1]! : writers[0]!;
      w.addDocument(ids);
      tokens += ids.length;
      if (seen % 1000 === 0) options.onProgress?.({ documents: seen, tokens, bytes });
    }
  } catch (e) {
    for (const w of writers) w.abort();
    throw e;
  }
  const reports = writers.map((w) => ({ prefix: w.prefix, ...w.finalize() }));
  const split = (r: (typeof reports)[number]): SplitReport => ({ prefix: r.prefix, documents: r.documents, tokens: r.tokens });
  return {
    dtype,
    train: split(reports[0]!),
    valid: reports[1] ? split(reports[1]) : null,
    emptyDocuments,
    bytes,
    seconds: (performance.now() - t0) / 1000,
  };
}
