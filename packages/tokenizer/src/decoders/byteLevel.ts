// ByteLevel decoder: each token's characters back to bytes (a token with any character outside the
// alphabet, such as an added token, contributes its own UTF-8), then the bytes as UTF-8, invalid
// sequences replaced by U+FFFD (as Rust's `from_utf8_lossy` and the WHATWG decoder both do).
import { CHAR_TO_BYTE, utf8 } from '../byteAlphabet.js';
import type { Decoder } from './decoder.js';

const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function byteLevelDecode(tokens: string[]): string {
  const bytes: number[] = [];
  for (const t of tokens) {
    const start = bytes.length;
    let ok = true;
    for (let i = 0; i < t.length; i++) {
      const b = CHAR_TO_BYTE.get(t[i]!);
      if (b === undefined) {
        ok = false;
        break;
      }
      bytes.push(b);
    }
    if (!ok) {
      bytes.length = start;
      for (const b of utf8(t)) bytes.push(b);
    }
  }
  return lossy.decode(Uint8Array.from(bytes));
}

export class ByteLevelDecoder implements Decoder {
  constructor(private readonly json: object = { type: 'ByteLevel' }) {}
  decodeChain(tokens: string[]): string[] {
    return [byteLevelDecode(tokens)];
  }
  toJSON(): object {
    return this.json;
  }
}
