// Whitespace (`\w+|[^\w\s]+`, Unicode classes) and WhitespaceSplit (cut on white space).
import { charMatches, type Piece, regexMatches, splitPiece } from '../piece.js';
import { translateRegex, WHITE_SPACE } from '../regex.js';
import type { PreTokenizer } from './preTokenizer.js';

const WORDS = translateRegex('\\w+|[^\\w\\s]+', 'Whitespace');

export class Whitespace implements PreTokenizer {
  private readonly re = new RegExp(WORDS.source, 'gu');
  preTokenize(p: Piece, out: Piece[]): void {
    splitPiece(p, regexMatches(this.re, p.text, true), 'Removed', out);
  }
  toJSON(): object {
    return { type: 'Whitespace' };
  }
}

export class WhitespaceSplit implements PreTokenizer {
  preTokenize(p: Piece, out: Piece[]): void {
    splitPiece(p, charMatches(p.text, (cp) => WHITE_SPACE.test(String.fromCodePoint(cp))), 'Removed', out);
  }
  toJSON(): object {
    return { type: 'WhitespaceSplit' };
  }
}
