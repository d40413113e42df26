import type { Piece } from '../piece.js';
import { materializeBytes } from '../byteAlphabet.js';
import type { PreTokenizer } from './preTokenizer.js';

/**
 * Sequence: each pre-tokenizer over every piece the previous one produced. A ByteLevel step
 * that is not the last has its byte mapping applied at once, so later steps see mapped text.
 */
export class PreTokenizerSequence implements PreTokenizer {
  constructor(readonly preTokenizers: PreTokenizer[]) {}

  preTokenize(p: Piece, out: Piece[]): void {
    let pieces = [p];
    for (const pt of this.preTokenizers) {
      const next: Piece[] = [];
      for (const q of pieces) pt.preTokenize(q.byteLevel ? materializeBytes(q) : q, next);
      pieces = next;
    }
    for (const q of pieces) out.push(q);
  }

  toJSON(): object {
    return { type: 'Sequence', pretokenizers: this.preTokenizers.map((p) => p.toJSON()) };
  }
}
