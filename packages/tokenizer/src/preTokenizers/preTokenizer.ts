import type { Piece } from '../piece.js';

/** A `pre_tokenizer` of tokenizer.json: cuts a piece into words (and may rewrite them). */
export interface PreTokenizer {
  /** Push the non-empty pieces `p` splits into onto `out`. */
  preTokenize(p: Piece, out: Piece[]): void;
  toJSON(): object;
}
