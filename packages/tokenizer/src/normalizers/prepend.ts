// Prepend: put a string in front of any non-empty text (the prefix maps to the first character).
import { type Piece, prependToPiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}

  normalize(p: Piece): Piece {
    return prependToPiece(p, this.prepend);
  }

  toJSON(): object {
    return { type: 'Prepend', prepend: this.prepend };
  }
}

