// Corpus readers: plain text (a file, or a folder of them, one document per file or per
// separator line), JSONL with a chosen text field (the Pile's format), each optionally .gz or
// .zst. All stream line by line. A line that cannot be read (invalid UTF-8, bad JSON, no text
// field) is skipped and counted, or stops the run, as the caller chooses; the error names the
// file and the line.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataInputError, MalformedInputError, type MalformedReason } from '../errors.js';
import { byteLines, fileBytes } from './bytes.js';

export interface Document {
  text: string;
  /** File it came from, and (JSONL) its line number, 1-based. */
  source: string;
  line?: number;
}

export interface ReadStats {
  documents: number;
  lines: number;
  skipped: Record<MalformedReason, number>;
}

export function newStats(): ReadStats {
  return { documents: 0, lines: 0, skipped: { badJson: 0, missingField: 0, invalidUtf8: 0 } };
}

export interface ReadOptions {
  /** What to do with a line that cannot be read: skip and count it (default), or throw. */
  onMalformed?: 'skip' | 'throw';
  /** Counts, updated as documents are read. */
  stats?: ReadStats;
}

export interface JsonlOptions extends ReadOptions {
  /** The field holding the text. Default "text". */
  field?: string;
}

export interface TextOptions extends ReadOptions {
  /** A line (without its line ending) that separates documents; default: one document per file. */
  separator?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(opts: ReadOptions, file: string, line: number, reason: MalformedReason, detail: string): void {
  opts.stats && opts.stats.skipped[reason]++;
  if (opts.onMalformed === 'throw') throw new MalformedInputError(file, line, reason, detail);
}

/** Decoded lines of a file (with their endings), invalid UTF-8 lines reported and left out. */
async function* textLines(file: string, opts: ReadOptions): AsyncGenerator<[string, number]> {
  let n = 0;
  for await (const bytes of byteLines(fileBytes(file))) {
    n++;
    if (opts.stats) opts.stats.lines++;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      malformed(opts, file, n, 'invalidUtf8', 'invalid UTF-8');
      continue;
    }
    yield [text, n];
  }
}

/** Documents of a JSONL file (.jsonl, .jsonl.gz, .jsonl.zst): one JSON object per line. */
export async function* readJsonl(file: string, opts: JsonlOptions = {}): AsyncGenerator<Document> {
  const field = opts.field ?? 'text';
  for await (const [line, n] of textLines(file, opts)) {
    if (line.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      malformed(opts, file, n, 'badJson', `not JSON (${(e as Error).message})`);
      continue;
    }
    const text = typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[field] : undefined;
    if (typeof text !== 'string') {
      malformed(opts, file, n, 'missingField', `no string field ${JSON.stringify(field)}`);
      continue;
    }
    if (opts.stats) opts.stats.documents++;
    yield { text, source: file, line: n };
  }
}

/** Files under `paths` (folders recursively, in name order). */
export function listFiles(paths: string | string[]): string[] {
  const out: string[] = [];
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new DataInputError(`no such file or folder: ${p}`);
    }
    if (st.isDirectory()) out.push(...listFiles(readdirSync(p).sort().map((f) => join(p, f))));
    else out.push(p);
  }
  return out;
}

/** Documents of plain-text files (.txt, .gz, .zst; folders recursively). */
export async function* readText(paths: string | string[], opts: TextOptions = {}): AsyncGenerator<Document> {
  for (const file of listFiles(paths)) {
    let doc = '';
    const emit = function* (): Generator<Document> {
      if (doc.length > 0) {
        if (opts.stats) opts.stats.documents++;
        yield { text: doc, source: file };
      }
      doc = '';
    };
    for await (const [line] of textLines(file, opts)) {
      if (opts.separator !== undefined && line.replace(/\r?\n$/, '') === opts.separator) yield* emit();
      else doc += line;
    }
    yield* emit();
  }
}

/** JSONL for .jsonl / .json (also .gz / .zst), plain text for anything else. */
export async function* readCorpus(paths: string | string[], opts: JsonlOptions & TextOptions = {}): AsyncGenerator<Document> {
  for (const file of listFiles(paths)) {
    if (/\.jsonl?(\.gz|\.zst)?$/.test(file)) yield* readJsonl(file, opts);
    else yield* readText(file, opts);
  }
}
