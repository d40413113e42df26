import type { Piece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

/** Sequence: each normalizer in turn. */
export class NormalizerSequence implements Normalizer {
  constructor(readonly normalizers: Normalizer[]) {}

  normalize(p: Piece): Piece {
    for (const n of this.normalizers) p = n.normalize(p);
    return p;
  }

  toJSON(): object {
    return { type: 'Sequence', normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
