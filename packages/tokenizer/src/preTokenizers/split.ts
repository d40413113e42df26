// Split: cut on a literal or regex pattern, with one of the five delimiter behaviors; `invert`
// swaps what counts as the delimiter.
import { type Piece, regexMatches, type SplitBehavior, splitPiece } from '../piece.js';
import type { PreTokenizer } from './preTokenizer.js';

export class Split implements PreTokenizer {
  constructor(
    readonly re: RegExp,
    readonly behavior: SplitBehavior,
    readonly invert: boolean,
    private readonly json: object,
  ) {}

  preTokenize(p: Piece, out: Piece[]): void {
    splitPiece(p, regexMatches(this.re, p.text, this.invert), this.behavior, out);
  }

  toJSON(): object {
    return this.json;
  }
}
