// GPT-2's byte alphabet: each of the 256 byte values as a printable character (printable Latin-1
// bytes stand for themselves; the rest are shifted to U+0100 and up, so a space is "Ġ").
import type { Piece } from './piece.js';

function buildByteToChar(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out = new Array<string>(256);
  bs.forEach((b, i) => (out[b] = String.fromCharCode(cs[i]!)));
  return out;
}

/** `BYTE_TO_CHAR[b]`: the character standing for byte b. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();
/** The inverse: a character of the alphabet to its byte. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/** The 256 characters of the alphabet, in byte order. */
export function byteLevelAlphabet(): string[] {
  return [...BYTE_TO_CHAR];
}

const encoder = new TextEncoder();

/** Whether every UTF-16 unit is ASCII (then units, code points and UTF-8 bytes coincide). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** UTF-8 bytes of a (well-formed) string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The byte-level string of `text`: each UTF-8 byte as its alphabet character. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const b of utf8(text)) out += BYTE_TO_CHAR[b]!;
  return out;
}

/**
 * For each UTF-8 byte of `text`, the first and last UTF-16 unit of the code point it belongs to
 * (a byte of a multi-byte character aligns to the whole character, as in Hugging Face).
 */
export function byteUnitSpans(text: string): { first: Int32Array; last: Int32Array } {
  const n = utf8Length(text);
  const first = new Int32Array(n);
  const last = new Int32Array(n);
  let b = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++, b++) {
      first[b] = i;
      last[b] = i + units - 1;
    }
    i += units;
  }
  return { first, last };
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Apply the byte mapping to a lazily-flagged piece now (each output char aligned to its source). */
export function materializeBytes(p: Piece): Piece {
  const text = toByteLevel(p.text);
  if (p.align === null) return { text, align: null, byteLevel: false, addedId: p.addedId };
  const { first, last } = byteUnitSpans(p.text);
  const align = new Int32Array(text.length * 2);
  for (let b = 0; b < text.length; b++) {
    align[2 * b] = p.align[2 * first[b]!]!;
    align[2 * b + 1] = p.align[2 * last[b]! + 1]!;
  }
  return { text, align, byteLevel: false, addedId: p.addedId };
}
