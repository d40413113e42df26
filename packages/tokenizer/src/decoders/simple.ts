// The small decoders: ByteFallback, Fuse, Replace, Strip, BPEDecoder, Sequence.
import type { Decoder } from './decoder.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `<0x41>` byte tokens back to text; an invalid run gives one U+FFFD per byte. */
export class ByteFallbackDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let run: number[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      try {
        out.push(strict.decode(Uint8Array.from(run)));
      } catch {
        for (let i = 0; i < run.length; i++) out.push('\uFFFD');
      }
      run = [];
    };
    for (const t of tokens) {
      const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(t);
      if (m) run.push(parseInt(m[1]!, 16));
      else {
        flush();
        out.push(t);
      }
    }
    flush();
    return out;
  }
  toJSON(): object {
    return { type: 'ByteFallback' };
  }
}

export class FuseDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join('')];
  }
  toJSON(): object {
    return { type: 'Fuse' };
  }
}

export class ReplaceDecoder implements Decoder {
  constructor(
    readonly re: RegExp,
    readonly content: string,
    private readonly json: object,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => t.replace(this.re, () => this.content));
  }
  toJSON(): object {
    return this.json;
  }
}

/** Strip up to `start` leading and `stop` trailing copies of `content` from each token. */
export class StripDecoder implements Decoder {
  constructor(
    readonly content: string,
    readonly start: number,
    readonly stop: number,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => {
      const chars = [...t];
      let s = 0;
      while (s < this.start && s < chars.length && chars[s] === this.content) s++;
      let e = chars.length;
      while (chars.length - e < this.stop && e > 0 && chars[e - 1] === this.content) e--;
      return chars.slice(s, Math.max(s, e)).join('');
    });
  }
  toJSON(): object {
    return { type: 'Strip', content: this.content, start: this.start, stop: this.stop };
  }
}

/** BPEDecoder: the end-of-word suffix becomes a space (nothing after the last token). */
export class BpeDecoder implements Decoder {
  constructor(readonly suffix: string) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t, i) => t.split(this.suffix).join(i === tokens.length - 1 ? '' : ' '));
  }
  toJSON(): object {
    return { type: 'BPEDecoder', suffix: this.suffix };
  }
}

export class DecoderSequence implements Decoder {
  constructor(readonly decoders: Decoder[]) {}
  decodeChain(tokens: string[]): string[] {
    for (const d of this.decoders) tokens = d.decodeChain(tokens);
    return tokens;
  }
  toJSON(): object {
    return { type: 'Sequence', decoders: this.decoders.map((d) => d.toJSON()) };
  }
}
