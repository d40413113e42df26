// Text documents -> token ids -> indexed datasets, as GPT-NeoX's `tools/datasets/preprocess_data.py
// --append-eod` does: one item per document, the end-of-document token appended. Documents go to a
// train or a validation dataset by a seeded hash of their position, so the split is deterministic
// and needs no second pass.
import { DataInputError } from '../errors.js';
import { bestFittingDtype, type TokenDtype } from '../format.js';
import { hashUniform } from '../random.js';
import type { Document } from './readers.js';
import { EncodePool, type WorkerEncoder } from './encodePool.js';
import { IndexedDatasetWriter } from './writer.js';

/** Documents per batch sent to a worker, and the most UTF-16 units in one. */
const BATCH_DOCS = 64;
const BATCH_CHARS = 1 << 20;

export interface PreprocessOptions {
  /** Text -> token ids (e.g. `tokenizer.encodeIds`), on this thread; or: */
  encode?: (text: string) => ArrayLike<number>;
  /** an encoder each worker thread builds for itself: tokenization on every core. */
  encoder?: WorkerEncoder;
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
  if (!options.encode && !options.encoder) throw new DataInputError('preprocess: give `encode` (this thread) or `encoder` (worker threads)');
  const seed = options.seed ?? 1234;
  const dtype = bestFittingDtype(options.vocabSize);
  const names = validFraction > 0 ? ['train', 'valid'] : [null];
  const writers = names.map((n) => new IndexedDatasetWriter(`${options.outputPrefix}${n ? `_${n}` : ''}_text_document`, dtype));
  const t0 = performance.now();
  let bytes = 0;
  let emptyDocuments = 0;
  let seen = 0;
  let tokens = 0;
  const write = (ids: number[] | Int32Array): void => {
    const i = seen++;
    if (options.eod !== null) ids = appendEod(ids, options.eod);
    if (ids.length === 0) {
      emptyDocuments++;
      return;
    }
    const w = validFraction > 0 && hashUniform(seed, i) < validFraction ? writers[1]! : writers[0]!;
    w.addDocument(ids);
    tokens += ids.length;
    if (seen % 1000 === 0) options.onProgress?.({ documents: seen, tokens, bytes });
  };
  const pool = options.encoder ? new EncodePool(options.encoder) : null;
  try {
    if (pool) {
      // batches go out in turn; results are written in input order, at most two per worker waiting
      const inflight: Promise<Int32Array[]>[] = [];
      let batch: string[] = [];
      let chars = 0;
      const send = async (): Promise<void> => {
        const pending = pool.encode(batch);
        pending.catch(() => undefined); // awaited below, in order; this only silences an early failure
        inflight.push(pending);
        batch = [];
        chars = 0;
        if (inflight.length >= 2 * pool.size) for (const ids of await inflight.shift()!) write(ids);
      };
      for await (const doc of docs) {
        bytes += Buffer.byteLength(doc.text);
        batch.push(doc.text);
        chars += doc.text.length;
        if (batch.length >= BATCH_DOCS || chars >= BATCH_CHARS) await send();
      }
      if (batch.length > 0) await send();
      while (inflight.length > 0) for (const ids of await inflight.shift()!) write(ids);
    } else {
      const encode = options.encode!;
      for await (const doc of docs) {
        bytes += Buffer.byteLength(doc.text);
        write(Array.from(encode(doc.text)));
      }
    }
  } catch (e) {
    for (const w of writers) w.abort();
    throw e;
  } finally {
    await pool?.close();
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

function appendEod(ids: number[] | Int32Array, eod: number): number[] | Int32Array {
  if (Array.isArray(ids)) {
    ids.push(eod);
    return ids;
  }
  const out = new Int32Array(ids.length + 1);
  out.set(ids);
  out[ids.length] = eod;
  return out;
}
