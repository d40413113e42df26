// Punctuation (ASCII punctuation or Unicode P) and CharDelimiterSplit (one delimiter character).
import { charMatches, type Piece, type SplitBehavior, splitPiece } from '../piece.js';
import type { PreTokenizer } from './preTokenizer.js';

const PUNCT = /[\p{P}!-/:-@[-`{-~]/u;

export class Punctuation implements PreTokenizer {
  constructor(readonly behavior: SplitBehavior) {}
  preTokenize(p: Piece, out: Piece[]): void {
    splitPiece(p, charMatches(p.text, (cp) => PUNCT.test(String.fromCodePoint(cp))), this.behavior, out);
  }
  toJSON(): object {
    return { type: 'Punctuation', behavior: this.behavior };
  }
}

export class CharDelimiterSplit implements PreTokenizer {
  private readonly cp: number;
  constructor(readonly delimiter: string) {
    this.cp = delimiter.codePointAt(0)!;
  }
  preTokenize(p: Piece, out: Piece[]): void {
    splitPiece(p, charMatches(p.text, (cp) => cp === this.cp), 'Removed', out);
  }
  toJSON(): object {
    return { type: 'CharDelimiterSplit', delimiter: this.delimiter };
  }
}
