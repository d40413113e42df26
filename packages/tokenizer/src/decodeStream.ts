// Incremental decoding for streaming generation: feed ids one at a time, get text as soon as it is
// complete. A character split over several byte-level tokens (an emoji, CJK) comes out whole once
// its last byte arrives; decoders that look at neighbouring tokens (spaces, Strip) see enough
// context. The algorithm is Hugging Face's `DecodeStream`: decode a short window of ids, emit what
// extends the previously decoded prefix, slide the window.
import { TokenizerError } from './errors.js';
import type { DecodeOptions, Tokenizer } from './tokenizer.js';

export class DecodeStream {
  private ids: number[] = [];
  private prefix = '';
  private prefixIndex = 0;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly options: DecodeOptions = {},
  ) {}

  /** Add one id (or several); returns the new text, or undefined while a character is incomplete. */
  step(ids: number | number[]): string | undefined {
    const t = this.tokenizer;
    if (this.prefix === '' && this.ids.length > 0) {
      const p = t.decode(this.ids, this.options);
      if (!p.endsWith('\uFFFD')) {
        this.prefix = p;
        this.prefixIndex = this.ids.length;
      }
    }
    if (typeof ids === 'number') this.ids.push(ids);
    else this.ids.push(...ids);
    const text = t.decode(this.ids, this.options);
    if (text.length <= this.prefix.length || text.endsWith('\uFFFD')) return undefined;
    if (!text.startsWith(this.prefix)) {
      throw new TokenizerError(`DecodeStream: decoding changed text already emitted (${JSON.stringify(this.prefix)} -> ${JSON.stringify(text)})`);
    }
    const added = text.slice(this.prefix.length);
    const newPrefixIndex = this.ids.length - this.prefixIndex;
    this.ids = this.ids.slice(this.prefixIndex);
    this.prefix = t.decode(this.ids, this.options);
    this.prefixIndex = newPrefixIndex;
    return added;
  }
}
