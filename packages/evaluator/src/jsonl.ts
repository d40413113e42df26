// Task data as JSONL (one Hugging Face dataset row per line), with errors naming the file, the
// line and the field.
import { TaskDataError } from './errors.js';

export interface Row {
  file: string;
  line: number;
  value: Record<string, unknown>;
}

/** Parses JSONL text; blank lines are skipped. */
export function parseJsonl(text: string, file: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new TaskDataError(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TaskDataError(`${file}:${i + 1}: a row must be a JSON object`);
    rows.push({ file, line: i + 1, value: value as Record<string, unknown> });
  });
  if (rows.length === 0) throw new TaskDataError(`${file}: no rows (the file is empty)`);
  return rows;
}

/**
 * Rows built in memory (objects in a task's Hugging Face row format), numbered from 1 under the name
 * `source` for error messages (`rows:3: field "label" ...`); each must be a plain object.
 */
export function rowsOf(values: readonly Record<string, unknown>[], source = 'rows'): Row[] {
  return values.map((value, i) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TaskDataError(`${source}:${i + 1}: a row must be an object`);
    return { file: source, line: i + 1, value };
  });
}

function fail(row: Row, field: string, expected: string): never {
  throw new TaskDataError(`${row.file}:${row.line}: field ${JSON.stringify(field)} must be ${expected}, got ${JSON.stringify(row.value[field]) ?? 'nothing'}`);
}

export function str(row: Row, field: string): string {
  const v = row.value[field];
  if (typeof v !== 'string') fail(row, field, 'a string');
  return v as string;
}

export function strList(row: Row, field: string, container: Record<string, unknown> = row.value): string[] {
  const v = container[field];
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) fail(row, field, 'a non-empty list of strings');
  return v as string[];
}

/** An integer label that may be written as a number or a string of digits (Hugging Face rows use both). */
export function intLabel(row: Row, field: string, below: number): number {
  const v = row.value[field];
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= below) fail(row, field, `an integer label in [0, ${below})`);
  return n as number;
}

export function fieldError(row: Row, field: string, message: string): TaskDataError {
  return new TaskDataError(`${row.file}:${row.line}: field ${JSON.stringify(field)}: ${message}`);
}
