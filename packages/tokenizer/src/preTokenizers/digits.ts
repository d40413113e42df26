// Digits: numbers (Unicode N, Rust's `char::is_numeric`) apart from the rest, each digit alone or
// runs together.
import { charMatches, type Piece, splitPiece } from '../piece.js';
import type { PreTokenizer } from './preTokenizer.js';

const NUMERIC = /\p{N}/u;

export class Digits implements PreTokenizer {
  constructor(readonly individualDigits: boolean) {}
  preTokenize(p: Piece, out: Piece[]): void {
    const matches = charMatches(p.text, (cp) => NUMERIC.test(String.fromCodePoint(cp)));
    splitPiece(p, matches, this.individualDigits ? 'Isolated' : 'Contiguous', out);
  }
  toJSON(): object {
    return { type: 'Digits', individual_digits: this.individualDigits };
  }
}
