// What the BPE model reads from files: its options and merges in tokenizer.json, and GPT-2's
// vocab.json and merges.txt.
import { MalformedTokenizerError } from '../errors.js';
import { asBool, asInt, isObject, type JsonObject, optString } from '../json.js';

export interface BpeOptions {
  /** The token for characters outside the vocabulary (none: they are dropped, as in Hugging Face). */
  unkToken?: string;
  /** Prefix of every subword that does not start a word (`##` in WordPiece-style BPE). */
  continuingSubwordPrefix?: string;
  /** Suffix of every subword that ends a word (`</w>` in the original BPE). */
  endOfWordSuffix?: string;
  /** Runs of unknown characters give one unk token. */
  fuseUnk?: boolean;
  /** Unknown characters become `<0xXX>` byte tokens when those exist. */
  byteFallback?: boolean;
  /** A word already in the vocabulary is one token, merges or not. */
  ignoreMerges?: boolean;
  /** Words remembered per tokenizer (the cache is cleared when full). Default 65,536. */
  cacheCapacity?: number;
}

/** Most ids a vocabulary may hold (ids are kept in Int32 arrays and pair keys). */
export function parseMerge(m: unknown, field: string): [string, string] {
  if (typeof m === 'string') {
    const parts = m.split(' ');
    if (parts.length !== 2) throw new MalformedTokenizerError(field, m, 'two tokens separated by one space');
    return [parts[0]!, parts[1]!];
  }
  if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
  throw new MalformedTokenizerError(field, m, 'a merge: "a b" or ["a", "b"]');
}

export function optionsFromJson(o: JsonObject, field: string): BpeOptions {
  const opts: BpeOptions = {
    fuseUnk: asBool(o.fuse_unk, `${field}.fuse_unk`, false),
    byteFallback: asBool(o.byte_fallback, `${field}.byte_fallback`, false),
    ignoreMerges: asBool(o.ignore_merges, `${field}.ignore_merges`, false),
  };
  const unk = optString(o, 'unk_token', field);
  const prefix = optString(o, 'continuing_subword_prefix', field);
  const suffix = optString(o, 'end_of_word_suffix', field);
  if (unk !== undefined) opts.unkToken = unk;
  if (prefix !== undefined) opts.continuingSubwordPrefix = prefix;
  if (suffix !== undefined) opts.endOfWordSuffix = suffix;
  return opts;
}

/** Parse GPT-2's `vocab.json` text. */
export function parseVocabJson(text: string, field = 'vocab.json'): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MalformedTokenizerError(field, text.slice(0, 40), `JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed)) throw new MalformedTokenizerError(field, parsed, 'an object of token -> id');
  const vocab = new Map<string, number>();
  for (const [tok, id] of Object.entries(parsed)) vocab.set(tok, asInt(id, `${field}[${JSON.stringify(tok)}]`));
  return vocab;
}

/** Parse GPT-2's `merges.txt` (`#version` lines skipped, one "a b" merge per line). */
export function parseMergesTxt(text: string, field = 'merges.txt'): [string, string][] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: [string, string][] = [];
  for (const line of lines) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l.startsWith('#version')) continue;
    out.push(parseMerge(l, `${field} line ${out.length + 1}`));
  }
  return out;
}

