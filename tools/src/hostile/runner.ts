// Runs hostile files through the readers users have, and classifies each outcome:
// - refused: a typed error (ours, not a TypeError/RangeError/SyntaxError from deep inside) whose
//   message names the file (or its directory);
// - unchanged: read, and what was read equals what the intact file gives;
// - accepted: read as something else, which the format cannot tell (it has no checksum): allowed
//   only where the format documents it (`accepts`);
// - unhelpful (an untyped error, or one that does not name the file) and hang (past the time limit)
//   are failures.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Mutant } from './mutate.js';

export interface HostileFormat {
  format: string;
  base: Uint8Array;
  mutants: Mutant[];
  /** Writes `bytes` as the file under test (and what it needs beside it) into `dir`; the path a reader takes. */
  place(dir: string, bytes: Uint8Array): string;
  /** A digest of what the reader makes of the file; throws for a refused one. */
  read(path: string): Promise<string>;
  /** What the format cannot detect, so reads as another valid file. */
  accepts: string;
  /** The reader takes bytes or text, and `read` adds the file name to its errors as its caller does. */
  wrapsErrors?: boolean;
}

export type Outcome = 'refused' | 'unchanged' | 'accepted' | 'unhelpful' | 'hang';

export interface CaseResult {
  format: string;
  mutant: string;
  outcome: Outcome;
  detail: string;
}

const UNTYPED = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);

async function within<T>(ms: number, p: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runFormat(f: HostileFormat, work: string, timeoutMs = 15_000): Promise<CaseResult[]> {
  const slug = f.format.replace(/[^a-z0-9]+/gi, '-');
  const baseDir = join(work, `${slug}-base`);
  mkdirSync(baseDir, { recursive: true });
  const baseline = await f.read(f.place(baseDir, f.base));
  const results: CaseResult[] = [];
  for (const [i, m] of f.mutants.entries()) {
    const dir = join(work, `${slug}-${i}`);
    mkdirSync(dir, { recursive: true });
    const path = f.place(dir, m.bytes);
    let outcome: Outcome;
    let detail = '';
    try {
      const got = await within(timeoutMs, f.read(path));
      if (got === 'timeout') [outcome, detail] = ['hang', `no answer in ${timeoutMs} ms`];
      else [outcome, detail] = got === baseline ? ['unchanged', ''] : ['accepted', f.accepts];
    } catch (e) {
      const err = e as Error;
      detail = `${err.name}: ${err.message}`.slice(0, 300);
      const named = err.message.includes(path) || err.message.includes(basename(path)) || err.message.includes(dirname(path));
      outcome = !UNTYPED.has(err.name) && named ? 'refused' : 'unhelpful';
    }
    results.push({ format: f.format, mutant: m.name, outcome, detail });
  }
  return results;
}

/** Counts per format and outcome, as a markdown table. */
export function outcomeTable(results: CaseResult[]): string {
  const outcomes: Outcome[] = ['refused', 'unchanged', 'accepted', 'unhelpful', 'hang'];
  const formats = [...new Set(results.map((r) => r.format))];
  const rows = formats.map((f) => `| ${f} | ${outcomes.map((o) => results.filter((r) => r.format === f && r.outcome === o).length).join(' | ')} |`);
  const total = `| all (${results.length}) | ${outcomes.map((o) => results.filter((r) => r.outcome === o).length).join(' | ')} |`;
  return [`| format | ${outcomes.join(' | ')} |`, `|---|${outcomes.map(() => '---').join('|')}|`, ...rows, total].join('\n');
}
