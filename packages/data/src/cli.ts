#!/usr/bin/env node
// tokenformer-data: the data package from the shell.
//   tokenformer-data preprocess --input FILE|DIR ... --tokenizer tokenizer.json --output PREFIX
//                               [--field text] [--valid 0.01] [--seed 1234] [--workers N] [--strict]
//   tokenformer-data preprocess --sotu --tokenizer tokenizer.json --output PREFIX   (the embedded corpus)
//   tokenformer-data inspect PREFIX [--show 3]
// Arguments are parsed with Node's own util.parseArgs; the tokenizer comes from the optional peer
// dependency @tokenformer/tokenizer, loaded only by `preprocess`.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DataError } from './errors.js';
import { readSotu } from './node/corpus.js';
import { IndexedDataset } from './node/dataset.js';
import { preprocess } from './node/preprocess.js';
import { newStats, readCorpus } from './node/readers.js';

const USAGE = `usage:
  tokenformer-data preprocess (--input FILE|DIR ... | --sotu) --tokenizer tokenizer.json --output PREFIX
                              [--field text] [--valid FRACTION] [--seed N] [--workers N] [--strict]
  tokenformer-data inspect PREFIX [--show N]`;

class UsageError extends DataError {
  override name = 'UsageError';
}

async function preprocessCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string', multiple: true },
      sotu: { type: 'boolean', default: false },
      tokenizer: { type: 'string' },
      output: { type: 'string' },
      field: { type: 'string', default: 'text' },
      valid: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1234' },
      workers: { type: 'string', default: String(availableParallelism()) },
      strict: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.tokenizer || !values.output || (!values.input && !values.sotu)) throw new UsageError(`preprocess needs --tokenizer, --output and --input (or --sotu)\n${USAGE}`);
  const tokenizerModule = '@tokenformer/tokenizer/node';
  let tok: typeof import('@tokenformer/tokenizer/node');
  try {
    tok = await import(tokenizerModule);
  } catch {
    throw new UsageError('preprocess needs @tokenformer/tokenizer installed next to @tokenformer/data (npm install @tokenformer/tokenizer)');
  }
  const tokenizer = tok.loadTokenizer(values.tokenizer);
  const eod = tokenizer.tokenToId('<|endoftext|>');
  if (eod === undefined) throw new UsageError(`${values.tokenizer} has no <|endoftext|> token to end documents with`);
  const workers = Number(values.workers);
  const stats = newStats();
  const docs = values.sotu ? readSotu({ stats }) : readCorpus(values.input!, { field: values.field, stats, onMalformed: values.strict ? 'throw' : 'skip' });
  const started = Date.now();
  const report = await preprocess(docs, {
    ...(workers > 1
      ? { encoder: { module: import.meta.resolve(tokenizerModule), options: { path: values.tokenizer }, workers } }
      : { encode: (t: string) => tokenizer.encodeIds(t) }),
    eod,
    vocabSize: tokenizer.vocabSize(),
    outputPrefix: values.output,
    validFraction: Number(values.valid),
    seed: Number(values.seed),
    onProgress: (p) => process.stderr.write(`\r${p.documents} documents, ${p.tokens} tokens, ${((p.bytes / 1e6) / ((Date.now() - started) / 1000)).toFixed(1)} MB/s`),
  });
  process.stderr.write('\n');
  console.log(JSON.stringify({ ...report, skipped: stats.skipped, lines: stats.lines }, null, 2));
}

function inspectCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, options: { show: { type: 'string', default: '0' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`inspect takes one dataset prefix\n${USAGE}`);
  const ds = IndexedDataset.open(positionals[0]!);
  const sizes = ds.index.sizes;
  let min = Infinity;
  let max = 0;
  for (const s of sizes) {
    min = Math.min(min, s);
    max = Math.max(max, s);
  }
  console.log(JSON.stringify({ prefix: ds.prefix, dtype: ds.dtype, items: ds.numDocuments, documents: ds.numDocumentGroups, tokens: ds.numTokens, minItem: sizes.length ? min : 0, maxItem: max }, null, 2));
  for (let i = 0; i < Math.min(Number(values.show), ds.numDocuments); i++) console.log(`item ${i}: ${JSON.stringify([...ds.get(i).slice(0, 32)])}${ds.documentSize(i) > 32 ? ' ...' : ''}`);
  ds.close();
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'preprocess') await preprocessCommand(rest);
  else if (command === 'inspect') inspectCommand(rest);
  else throw new UsageError(command === undefined || command === '--help' ? USAGE : `unknown command ${JSON.stringify(command)}\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(e instanceof DataError || e.name === 'TypeError' ? `tokenformer-data: ${e.message}` : e);
  process.exit(e instanceof UsageError ? 2 : 1);
});
