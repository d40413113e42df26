// Node-only helpers (file system): load and save tokenizer files, train from files, encode a file
// as a stream. The browser-safe API is the package's main entry.
import { createReadStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TokenizerInputError } from './errors.js';
import { encodeStream, type StreamOptions } from './stream.js';
import { Tokenizer } from './tokenizer.js';
import { BpeTrainer, type BpeTrainerOptions } from './trainer/bpeTrainer.js';

/**
 * Load a tokenizer from a `tokenizer.json` file, or from a directory holding `tokenizer.json` or
 * GPT-2's `vocab.json` + `merges.txt` (also accepted as `encoder.json` + `vocab.bpe`).
 */
export function loadTokenizer(path: string): Tokenizer {
  if (!existsSync(path)) throw new TokenizerInputError(`loadTokenizer: ${path} does not exist`);
  if (!statSync(path).isDirectory()) return Tokenizer.fromJSON(readFileSync(path, 'utf8'));
  const json = join(path, 'tokenizer.json');
  if (existsSync(json)) return Tokenizer.fromJSON(readFileSync(json, 'utf8'));
  for (const [vocab, merges] of [
    ['vocab.json', 'merges.txt'],
    ['encoder.json', 'vocab.bpe'],
  ] as const) {
    if (existsSync(join(path, vocab)) && existsSync(join(path, merges))) {
      return Tokenizer.fromGpt2Files(readFileSync(join(path, vocab), 'utf8'), readFileSync(join(path, merges), 'utf8'));
    }
  }
  throw new TokenizerInputError(`loadTokenizer: ${path} holds neither tokenizer.json nor vocab.json + merges.txt`);
}

/** Write `tokenizer.json` atomically (a temporary file renamed into place). */
export function saveTokenizer(tokenizer: Tokenizer, file: string): void {
  const tmp = join(dirname(file), `.${process.pid}.${Date.now()}.tokenizer.json.tmp`);
  writeFileSync(tmp, tokenizer.toString());
  renameSync(tmp, file);
}

/** The lines of a UTF-8 file, each with its line ending, read as a stream (bounded memory). */
export async function* readLines(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    rest += decoder.decode(chunk as Buffer, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', start)) {
      yield rest.slice(start, nl + 1);
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}

/** The text of a UTF-8 file in chunks of about 1 MiB (characters never split). */
export async function* readChunks(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const s = decoder.decode(chunk as Buffer, { stream: true });
    if (s) yield s;
  }
  const end = decoder.decode();
  if (end) yield end;
}

/**
 * Train a byte-level BPE tokenizer on text files, fed line by line (each line with its ending, as
 * Hugging Face's `train_from_files` does), with bounded memory.
 */
export async function trainFromFiles(files: string[], options: BpeTrainerOptions = {}): Promise<Tokenizer> {
  const trainer = new BpeTrainer(options);
  for (const f of files) for await (const line of readLines(f)) trainer.feed(line);
  return trainer.train();
}

/** Encode a whole UTF-8 file as a stream of id arrays (see `encodeStream`). */
export function encodeFile(tokenizer: Tokenizer, file: string, options: StreamOptions = {}): AsyncGenerator<number[]> {
  return encodeStream(tokenizer, readChunks(file), options);
}

/**
 * An encode function for worker threads (e.g. `@tokenformer/data`'s parallel preprocessing): each
 * worker imports this module and calls `createEncoder({ path })` to get its own tokenizer.
 */
export function createEncoder(options: { path: string; addSpecialTokens?: boolean }): (text: string) => number[] {
  const tokenizer = loadTokenizer(options.path);
  const addSpecialTokens = options.addSpecialTokens ?? false;
  return (text) => tokenizer.encodeIds(text, { addSpecialTokens });
}
