// Replace: every match of a literal or a regex becomes `content`.

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
import { type Piece, type Segment, transformPiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export class Replace implements Normalizer {
  constructor(
    readonly re: RegExp,
    readonly content: string,
    private readonly json: object,
  ) {}

  normalize(p: Piece): Piece {
    const text = p.text;
    const segments: Segment[] = [];
    let prev = 0;
    this.re.lastIndex = 0;
    for (let m = this.re.exec(text); m !== null; m = this.re.exec(text)) {
      if (m[0].length === 0) {
        this.re.lastIndex++;
        continue;
      }
      for (let i = prev; i < m.index; i++) segments.push([text[i]!, i, i + 1]);
      // as Hugging Face: the replacement is aligned to the last character of the match
      const end = m.index + m[0].length;
      const lastStart = end >= 2 && isLowSurrogate(text.charCodeAt(end - 1)) && end - 2 >= m.index ? end - 2 : end - 1;
      for (let i = m.index; i < lastStart; i++) segments.push(['', i, i + 1]);
      segments.push([this.content, lastStart, end]);
      prev = m.index + m[0].length;
    }
    if (segments.length === 0) return p;
    for (let i = prev; i < text.length; i++) segments.push([text[i]!, i, i + 1]);
    return transformPiece(p, segments);
  }

  toJSON(): object {
    return this.json;
  }
}
