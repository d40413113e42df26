// Python's string semantics where the harness relies on them: `\s` and `str.isspace` (which differ
// from JavaScript's `\s`: Python adds U+001C–U+001F and U+0085, has no U+FEFF), `str.capitalize`,
// `len` and slicing in code points, and `str.split()`.

/** Python's whitespace characters (str.isspace; `\s` in str patterns). */
export const PY_WS = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const TRAILING_WS = new RegExp(`[${PY_WS}]+$`, 'u');

/** `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING_WS, '');
}

/** `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'gu'), '');
}

/** `str.capitalize()` (Python ≥ 3.8): the first character in title case, the rest lower case. */
export function pyCapitalize(s: string): string {
  const [first, ...rest] = [...s];
  if (first === undefined) return s;
  return first.toUpperCase() + rest.join('').toLowerCase();
}

/** `len(s)`: code points, not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `len(re.split(r"\s+", s))`: empty strings at the ends count, as in Python. */
export function pyWhitespaceSplitCount(s: string): number {
  return s.split(new RegExp(`[${PY_WS}]+`, 'u')).length;
}

/** `s.split()` (no separator): the words between runs of Python whitespace, no empty ones. */
export function pySplit(s: string): string[] {
  return s.split(new RegExp(`[${PY_WS}]+`, 'u')).filter(Boolean);
}

/** `s[a:b]`, on code points. */
export function pySlice(s: string, a: number, b?: number): string {
  return [...s].slice(a, b).join('');
}

/** UTF-8 bytes. */
export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).byteLength;
}
