// Typed readers for the parsed JSON of a tokenizer file. Each names the field it reads, so a bad
// file fails with `MalformedTokenizerError("pre_tokenizer.pretokenizers[1].behavior", ...)`.
import { MalformedTokenizerError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown, field: string): JsonObject {
  if (!isObject(v)) throw new MalformedTokenizerError(field, v, 'an object');
  return v;
}

export function asArray(v: unknown, field: string): Json[] {
  if (!Array.isArray(v)) throw new MalformedTokenizerError(field, v, 'an array');
  return v as Json[];
}

export function asString(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new MalformedTokenizerError(field, v, 'a string');
  return v;
}

export function asBool(v: unknown, field: string, fallback?: boolean): boolean {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw new MalformedTokenizerError(field, v, 'true or false');
  return v;
}

export function asInt(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new MalformedTokenizerError(field, v, `an integer >= ${min}`);
  }
  return v;
}

/** `obj.key` as an optional string: absent or null give `undefined`. */
export function optString(obj: JsonObject, key: string, field: string): string | undefined {
  const v = obj[key];
  return v === undefined || v === null ? undefined : asString(v, `${field}.${key}`);
}

/** The `type` tag of a component object. */
export function typeOf(v: unknown, field: string): string {
  return asString(asObject(v, field).type, `${field}.type`);
}

/** Sequences nested deeper than this are refused (20,000 levels overflowed the stack). */
export const MAX_NESTING = 32;

/** The items of a Sequence at `field`, refused past MAX_NESTING levels of Sequences. */
export function sequenceItems(v: unknown, field: string): Json[] {
  const depth = field.split('[').length - 1;
  if (depth >= MAX_NESTING) throw new MalformedTokenizerError(field, '(a Sequence)', `Sequences nested at most ${MAX_NESTING} deep`);
  return asArray(v, field);
}
