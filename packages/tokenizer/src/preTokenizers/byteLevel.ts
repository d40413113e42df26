// ByteLevel (GPT-2): optionally a leading space, the GPT-2 regex split, then every UTF-8 byte
// becomes one of 256 printable characters. The byte mapping is left to the model (the piece is
// flagged `byteLevel`) so that a word already in the cache is never mapped at all.
import { type Piece, prependToPiece, regexMatches, splitPiece } from '../piece.js';
import { translateRegex } from '../regex.js';
import { scanGpt2 } from './gpt2Scanner.js';
import type { PreTokenizer } from './preTokenizer.js';

/** GPT-2's pre-tokenization pattern, as Hugging Face's ByteLevel pre-tokenizer writes it. */
export const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
export const GPT2_REGEX = translateRegex(GPT2_PATTERN, 'ByteLevel');

export interface ByteLevelOptions {
  addPrefixSpace: boolean;
  trimOffsets: boolean;
  useRegex: boolean;
}

export class ByteLevelPreTokenizer implements PreTokenizer {
  private readonly re = new RegExp(GPT2_REGEX.source, 'gu');
  private readonly sticky = new RegExp(GPT2_REGEX.source, 'uy');
  constructor(readonly options: ByteLevelOptions) {}

  preTokenize(p: Piece, out: Piece[]): void {
    p = this.withPrefixSpace(p);
    const start = out.length;
    if (this.options.useRegex) splitPiece(p, regexMatches(this.re, p.text), 'Isolated', out);
    else if (p.text.length > 0) out.push(p);
    for (let i = start; i < out.length; i++) out[i] = { ...out[i]!, byteLevel: true };
  }

  /** Whether `text` gets a prefix space (asked for, and it does not start with one). */
  private needsPrefix(text: string): boolean {
    return this.options.addPrefixSpace && text.length > 0 && text[0] !== ' ';
  }

  /** The piece with the prefix space added when the options ask for it. */
  withPrefixSpace(p: Piece): Piece {
    return this.needsPrefix(p.text) ? prependToPiece(p, ' ', 1) : p;
  }

  /**
   * Each word of `text` (already given its prefix space) as a [start, end) range, for the offsets
   * path: the same words as `preTokenize`, without slicing alignment arrays.
   */
  forEachWordSpan(text: string, visit: (start: number, end: number) => void): void {
    if (!this.options.useRegex) {
      if (text.length > 0) visit(0, text.length);
      return;
    }
    scanGpt2(text, this.sticky, visit);
  }

  /** The prefix space (when asked for) and the words, as spans of the returned text. */
  forEachWordOf(text: string, visit: (text: string, start: number, end: number) => void): void {
    const t = this.needsPrefix(text) ? ` ${text}` : text;
    this.forEachWordSpan(t, (start, end) => visit(t, start, end));
  }

  toJSON(): object {
    return {
      type: 'ByteLevel',
      add_prefix_space: this.options.addPrefixSpace,
      trim_offsets: this.options.trimOffsets,
      use_regex: this.options.useRegex,
    };
  }
}

