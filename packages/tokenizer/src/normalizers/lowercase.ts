// Lowercase: each code point on its own, as Rust's `char::to_lowercase` (so a final capital sigma
// gives σ, not the context-dependent ς that String.prototype.toLowerCase would give).
import { isAscii } from '../byteAlphabet.js';
import { type Piece, type Segment, transformPiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export class Lowercase implements Normalizer {
  normalize(p: Piece): Piece {
    const text = p.text;
    if (isAscii(text)) {
      const lower = text.toLowerCase();
      return lower === text ? p : { ...p, text: lower };
    }
    const segments: Segment[] = [];
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      segments.push([String.fromCodePoint(cp).toLowerCase(), i, i + n]);
      i += n;
    }
    return transformPiece(p, segments);
  }

  toJSON(): object {
    return { type: 'Lowercase' };
  }
}
