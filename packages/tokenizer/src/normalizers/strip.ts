// Strip: remove leading and/or trailing white space (Unicode White_Space, Rust's `char::is_whitespace`).
import { type Piece, slicePiece } from '../piece.js';
import type { Normalizer } from './normalizer.js';

export class Strip implements Normalizer {
  constructor(
    readonly left: boolean,
    readonly right: boolean,
  ) {}

  normalize(p: Piece): Piece {
    const text = p.text;
    let start = 0;
    let end = text.length;
    if (this.left) start = text.length - text.replace(/^\p{White_Space}+/u, '').length;
    if (this.right) end = Math.max(start, text.replace(/\p{White_Space}+$/u, '').length);
    return start === 0 && end === text.length ? p : slicePiece(p, start, end);
  }

  toJSON(): object {
    return { type: 'Strip', strip_left: this.left, strip_right: this.right };
  }
}
