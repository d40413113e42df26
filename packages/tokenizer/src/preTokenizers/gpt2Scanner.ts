// GPT-2's pre-tokenization pattern as a hand-written scanner for ASCII text, the hot path of
// byte-level encoding. Any token whose extent depends on a non-ASCII character is left to the
// regex itself (`sticky`), so the result is the regex's, character for character (a property
// test compares the two).
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+

const LETTER = 1;
const DIGIT = 2;
const SPACE = 3;
const OTHER = 4;
/** Class of each ASCII unit; 0 for non-ASCII (decided by the regex). */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  CLASS[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? LETTER : c >= 48 && c <= 57 ? DIGIT : c === 32 || (c >= 9 && c <= 13) ? SPACE : OTHER;
}

function cls(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? CLASS[c]! : 0;
}

/** End of the contraction at `i` (text[i] is "'"), or -1. */
function contraction(text: string, i: number, n: number): number {
  const a = i + 1 < n ? text.charCodeAt(i + 1) : 0;
  if (a === 115 || a === 116 || a === 109 || a === 100) return i + 2; // 's 't 'm 'd
  const b = i + 2 < n ? text.charCodeAt(i + 2) : 0;
  if ((a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108)) return i + 3; // 're 've 'll
  return -1;
}

/** End of the run of class `k` starting at `j`, or -1 when a non-ASCII unit could extend it. */
function runEnd(text: string, j: number, n: number, k: number): number {
  while (j < n) {
    const c = cls(text, j);
    if (c === k) j++;
    else if (c === 0) return -1;
    else break;
  }
  return j;
}

/** The end of the GPT-2 token that starts at `i`, computed with the ASCII fast path. */
function tokenEnd(text: string, i: number, n: number, sticky: RegExp): number {
  const viaRegex = (): number => {
    sticky.lastIndex = i;
    if (!sticky.test(text)) throw new Error(`ByteLevel: the GPT-2 pattern did not match at ${i}`);
    return sticky.lastIndex;
  };
  const c = cls(text, i);
  if (c === 0) return viaRegex();
  if (c === OTHER && text.charCodeAt(i) === 39) {
    const e = contraction(text, i, n);
    if (e > 0) return e;
  }
  if (c === SPACE) {
    const isSpace = text.charCodeAt(i) === 32;
    if (isSpace && i + 1 < n) {
      const d = cls(text, i + 1);
      if (d === 0) return viaRegex();
      if (d !== SPACE) {
        const e = runEnd(text, i + 1, n, d);
        return e < 0 ? viaRegex() : e;
      }
    }
    // a white-space run: all of it at the end of the text, else all but its last unit
    let j = i + 1;
    while (j < n) {
      const d = cls(text, j);
      if (d === SPACE) j++;
      else if (d === 0) return viaRegex();
      else break;
    }
    if (j === n || j - i === 1) return j;
    return j - 1;
  }
  const e = runEnd(text, i + 1, n, c);
  return e < 0 ? viaRegex() : e;
}

/** Visit each GPT-2 word of `text` as a [start, end) span. */
export function scanGpt2(text: string, sticky: RegExp, visit: (start: number, end: number) => void): void {
  const n = text.length;
  for (let i = 0; i < n; ) {
    const end = tokenEnd(text, i, n, sticky);
    visit(i, end);
    i = end;
  }
}
