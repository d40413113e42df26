// `tokenformer prepare`: corpus -> tokenizer (trained here, or loaded) -> indexed datasets, plus
// prepare.json (sizes, the tokenizer's vocabulary, the unigram entropy of the training split).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  const fail = (field: string, message: string): never => {
    throw new Error(`${file}: ${field}: ${message}`);
  };
  let r: Partial<PrepareReport>;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Partial<PrepareReport>;
  } catch (e) {
    return fail('(file)', `not JSON (${(e as Error).message})`);
  }
  if (typeof r !== 'object' || r === null) return fail('(file)', 'not a JSON object');
  if (r.format !== 'tokenformer-prepare/1') fail('format', `unknown format ${JSON.stringify(r.format)} (expected "tokenformer-prepare/1")`);
  if (typeof r.tokenizer !== 'string' || r.tokenizer === '') fail('tokenizer', `${JSON.stringify(r.tokenizer)} is not a file name`);
  const split = (name: 'train' | 'valid', s: unknown): void => {
    const v = s as { prefix?: unknown; documents?: unknown; tokens?: unknown } | null;
    if (typeof v !== 'object' || v === null || typeof v.prefix !== 'string') fail(name, `${JSON.stringify(s)} is not a split ({ prefix, documents, tokens })`);
    for (const k of ['documents', 'tokens'] as const) if (!Number.isInteger(v![k]) || (v![k] as number) < 0) fail(`${name}.${k}`, `${JSON.stringify(v![k])} is not a count`);
  };
  split('train', r.train);
  if (r.valid !== null) split('valid', r.valid);
  if (typeof r.unigramEntropy !== 'number' || !Number.isFinite(r.unigramEntropy) || r.unigramEntropy < 0) fail('unigramEntropy', `${JSON.stringify(r.unigramEntropy)} is not an entropy (nats per token)`);
  return r as PrepareReport;
}

/** The corpus's documents: the embedded one for "sotu", else the files, malformed lines counted in `stats`. */
function documents(corpus: string[], field: string, stats?: ReadStats): AsyncIterable<Document> {
  if (corpus.length === 1 && corpus[0] === 'sotu') return readSotu();
  return readCorpus(corpus, { field, ...(stats ? { stats } : {}) });
}

/**
 * Prepares into a staging folder inside `out` and moves the files into place only when all of them
 * are written (prepare.json last, after the old one is removed): a prepare that fails leaves `out` as
 * it was (or absent, if it made it), and a folder with a prepare.json always holds what it describes.
 * Staging folders left by a killed run are removed at the next start.
 */
export async function prepare(o: PrepareOptions): Promise<PrepareReport> {
  const created = !existsSync(o.out);
  mkdirSync(o.out, { recursive: true });
  for (const name of readdirSync(o.out)) if (name.startsWith(STAGING)) rmSync(join(o.out, name), { recursive: true, force: true });
  const staging = join(o.out, `${STAGING}${process.pid}`);
  try {
    const report = await prepareInto({ ...o, out: staging });
    rmSync(join(o.out, PREPARE_FILE), { force: true });
    for (const name of readdirSync(staging)) if (name !== PREPARE_FILE) renameSync(join(staging, name), join(o.out, name));
    renameSync(join(staging, PREPARE_FILE), join(o.out, PREPARE_FILE));
    rmSync(staging, { recursive: true, force: true });
    return report;
  } catch (e) {
    rmSync(created ? o.out : staging, { recursive: true, force: true });
    throw e;
  }
}

/** Name prefix of the staging folder inside the output folder. */
const STAGING = '.prepare.tmp-';

async function prepareInto(o: PrepareOptions): Promise<PrepareReport> {
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
  if (report.train.documents === 0) {
    const skipped = Object.entries(stats.skipped).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
    throw new Error(`${o.corpus.join(', ')}: no documents to train on${skipped ? ` (lines skipped: ${skipped})` : ''}${o.field !== 'text' ? `; JSONL text field: ${JSON.stringify(o.field)}` : ''}`);
  }
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
