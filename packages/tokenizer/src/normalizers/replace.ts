// Replace: every match of a literal or a regex becomes `content`.
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
      segments.push([this.content, m.index, m.index + m[0].length]);
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
