// `tokenformer prepare`: corpus -> tokenizer (trained here, or loaded) -> indexed datasets, plus
// prepare.json (sizes, the tokenizer's vocabulary, the unigram entropy of the training split).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IndexedDataset, newStats, preprocess, readCorpus, readSotu, type Document, type ReadStats } from '@tokenformer/data/node';
import { BpeTrainer, type Tokenizer } from '@tokenformer/tokenizer';
import { loadTokenizer, saveTokenizer } from '@tokenformer/tokenizer/node';
import { unigramEntropy } from './entropy.js';

export interface PrepareOptions {
  /** 'sotu' (the embedded corpus) or files / folders of text or JSONL. */
  corpus: string[];
  out: string;
  /** A tokenizer.json (or folder) to use; else one is trained with `vocabSize`. */
  tokenizer?: string;
  vocabSize: number;
  validFraction: number;
  seed: number;
  field: string;
  log?: (line: string) => void;
}

export interface PrepareReport {
  format: 'tokenformer-prepare/1';
  corpus: string[];
  tokenizer: string;
  trainedTokenizer: boolean;
  vocabSize: number;
  eod: number;
  train: { prefix: string; documents: number; tokens: number };
  valid: { prefix: string; documents: number; tokens: number } | null;
  /** Unigram entropy of the training split, nats per token. */
  unigramEntropy: number;
  skipped: Record<string, number>;
}

export const PREPARE_FILE = 'prepare.json';

/** The report `prepare` wrote in `dir`; an error that says to run prepare when there is none. */
export function readPrepared(dir: string): PrepareReport {
  const file = join(dir, PREPARE_FILE);
  if (!existsSync(file)) throw new Error(`${dir} is not a prepared data directory (no ${PREPARE_FILE}): run "tokenformer prepare" first`);
  return JSON.parse(readFileSync(file, 'utf8')) as PrepareReport;
}

/** The corpus's documents: the embedded one for "sotu", else the files, malformed lines counted in `stats`. */
function documents(corpus: string[], field: string, stats?: ReadStats): AsyncIterable<Document> {
  if (corpus.length === 1 && corpus[0] === 'sotu') return readSotu();
  return readCorpus(corpus, { field, ...(stats ? { stats } : {}) });
}

export async function prepare(o: PrepareOptions): Promise<PrepareReport> {
  const log = o.log ?? (() => undefined);
  mkdirSync(o.out, { recursive: true });
  let tokenizer: Tokenizer;
  if (o.tokenizer) {
    tokenizer = loadTokenizer(o.tokenizer);
    log(`tokenizer: ${o.tokenizer} (${tokenizer.vocabSize()} ids)`);
  } else {
    const t0 = Date.now();
    const trainer = new BpeTrainer({ vocabSize: o.vocabSize, specialTokens: ['<|endoftext|>'] });
    for await (const d of documents(o.corpus, o.field)) trainer.feed(d.text);
    tokenizer = trainer.train();
    log(`tokenizer: trained a ${tokenizer.vocabSize()}-token byte-level BPE in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const eod = tokenizer.tokenToId('<|endoftext|>');
  if (eod === undefined) throw new Error('the tokenizer has no <|endoftext|> token to end documents with');
  const tokenizerFile = join(o.out, 'tokenizer.json');
  saveTokenizer(tokenizer, tokenizerFile);
  const stats = newStats();
  const report = await preprocess(documents(o.corpus, o.field, stats), {
    encode: (t) => tokenizer.encodeIds(t),
    eod,
    vocabSize: tokenizer.vocabSize(),
    outputPrefix: join(o.out, 'data'),
    validFraction: o.validFraction,
    seed: o.seed,
  });
  const train = IndexedDataset.open(report.train.prefix);
  const entropy = unigramEntropy(train);
  train.close();
  const rel = (p: string): string => relative(o.out, p);
  const out: PrepareReport = {
    format: 'tokenformer-prepare/1',
    corpus: o.corpus,
    tokenizer: 'tokenizer.json',
    trainedTokenizer: !o.tokenizer,
    vocabSize: tokenizer.vocabSize(),
    eod,
    train: { ...report.train, prefix: rel(report.train.prefix) },
    valid: report.valid ? { ...report.valid, prefix: rel(report.valid.prefix) } : null,
    unigramEntropy: entropy,
    skipped: stats.skipped,
  };
  writeFileSync(join(o.out, PREPARE_FILE), `${JSON.stringify(out, null, 2)}\n`);
  log(`data: ${report.train.documents} training documents (${report.train.tokens} tokens)${report.valid ? `, ${report.valid.documents} validation (${report.valid.tokens})` : ''}; unigram entropy ${entropy.toFixed(3)} nats/token`);
  return out;
}
