// NFC, NFD, NFKC, NFKD. The text is normalized whole (so the result is exactly String.normalize's);
// for offsets it is cut into clusters (a starter and the marks that follow it), each cluster
// normalized on its own, and each output unit mapped to its whole cluster.
import { type Piece, type Segment, transformPiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(p: Piece): Piece {
    const text = p.text;
    if (isAsciiOrLatin1Safe(text, this.form)) return p;
    const whole = text.normalize(this.form);
    if (whole === text) return p;
    if (p.align === null) return { ...p, text: whole };
    const segments: Segment[] = [];
    let joined = '';
    for (const m of text.matchAll(CLUSTER)) {
      const out = m[0].normalize(this.form);
      segments.push([out, m.index, m.index + m[0].length]);
      joined += out;
    }
    // Clusters that compose across their border (Hangul jamo, rare scripts): map it all to all.
    if (joined !== whole) return transformPiece(p, [[whole, 0, text.length]]);
    return transformPiece(p, segments);
  }

  toJSON(): object {
    return { type: this.form };
  }
}

/** ASCII is invariant under every form; this skips String.normalize on plain English text. */
function isAsciiOrLatin1Safe(text: string, _form: UnicodeForm): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
