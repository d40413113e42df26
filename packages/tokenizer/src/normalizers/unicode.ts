// NFC, NFD, NFKC, NFKD. The text is normalized whole (so the result is exactly String.normalize's).
// For offsets, each output character is aligned as Hugging Face aligns it: characters that come
// from one input character (a decomposition, a compatibility mapping) map to that character; a
// composed character maps to the first character it was composed from.
import { isAscii } from '../byteAlphabet.js';
import { type Piece, type Segment, transformPiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/**
 * A starter and the combining marks (and Hangul vowel/final jamo) after it: the unit inside which
 * characters may compose.
 */
const CLUSTER = /\P{M}[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]*|[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]+/gu;

export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(p: Piece): Piece {
    const text = p.text;
    if (isAscii(text)) return p;
    const whole = text.normalize(this.form);
    if (whole === text) return p;
    if (p.align === null) return { ...p, text: whole };
    const segments: Segment[] = [];
    let joined = '';
    for (const m of text.matchAll(CLUSTER)) {
      const cluster = m[0];
      const out = cluster.normalize(this.form);
      joined += out;
      this.alignCluster(cluster, out, m.index, segments);
    }
    // Characters that compose across clusters (Hangul jamo, a few scripts): one segment for all.
    if (joined !== whole) return transformPiece(p, [[whole, 0, text.length]]);
    return transformPiece(p, segments);
  }

  private alignCluster(cluster: string, out: string, at: number, segments: Segment[]): void {
    const chars = [...cluster];
    const perChar = chars.map((c) => c.normalize(this.form));
    if (perChar.join('') === out) {
      // each input character normalizes on its own (decomposition, compatibility mapping)
      let u = at;
      chars.forEach((c, k) => {
        segments.push([perChar[k]!, u, u + c.length]);
        u += c.length;
      });
      return;
    }
    // composition: walk the output; a composed character consumes as many input characters as
    // its canonical decomposition has, and is aligned to the first of them
    const starts: number[] = [];
    let u = at;
    for (const c of chars) {
      starts.push(u);
      u += c.length;
    }
    const end = u;
    let i = 0;
    let pendingEnd = at;
    for (const o of out) {
      const k = Math.min(i, chars.length - 1);
      const s = starts[k]!;
      // first input char of this output: [s, s + its length); removed chars produce no output
      segments.push([o, s, s + chars[k]!.length]);
      pendingEnd = s + chars[k]!.length;
      i += [...o.normalize('NFD')].length;
    }
    if (pendingEnd < end) segments.push(['', pendingEnd, pendingEnd]);
  }

  toJSON(): object {
    return { type: this.form };
  }
}
