import type { Piece } from '../piece.js';

/** A `normalizer` of tokenizer.json: rewrites text, keeping track of where each unit came from. */
export interface Normalizer {
  normalize(p: Piece): Piece;
  /** The tokenizer.json object this normalizer was read from (written back by `toJSON`). */
  toJSON(): object;
}
