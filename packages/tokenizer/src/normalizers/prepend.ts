// Prepend: put a string in front of any non-empty text (the prefix maps to the first unit).
import { type Piece, transformPiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}

  normalize(p: Piece): Piece {
    if (p.text.length === 0 || this.prepend.length === 0) return p;
    return p.align === null ? { ...p, text: this.prepend + p.text } : prependAligned(p, this.prepend);
  }

  toJSON(): object {
    return { type: 'Prepend', prepend: this.prepend };
  }
}

function prependAligned(p: Piece, prefix: string): Piece {
  const first = p.text.codePointAt(0)! > 0xffff ? 2 : 1;
  const segs: [string, number, number][] = [[prefix + p.text.slice(0, first), 0, first]];
  for (let i = first; i < p.text.length; i++) segs.push([p.text[i]!, i, i + 1]);
  return transformPiece(p, segs);
}
