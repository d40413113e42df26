// Streaming decode gives, chunk by chunk, exactly the text of decoding everything at once.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEOX_20B_TOKENIZER, npmAsset, parityCorpus } from '@tokenformer/testing/text';
import { DecodeStream } from './decodeStream.js';
import { Tokenizer } from './tokenizer.js';

let neox: Tokenizer;
beforeAll(() => {
  neox = Tokenizer.fromJSON(readFileSync(npmAsset(NEOX_20B_TOKENIZER), 'utf8'));
});

describe('DecodeStream', () => {
  it('emits whole characters only, and all of the text, one id at a time', () => {
    for (const { text } of parityCorpus(neox.specialTokens(), 9).filter((t) => t.text.length < 5000)) {
      const ids = neox.encodeIds(text);
      const whole = neox.decode(ids);
      const stream = new DecodeStream(neox);
      let out = '';
      for (const id of ids) {
        const piece = stream.step(id);
        if (piece !== undefined) {
          expect(piece.endsWith('\uFFFD') && !whole.includes('\uFFFD')).toBe(false);
          out += piece;
        }
      }
      if (!whole.endsWith('\uFFFD')) expect(out).toBe(whole);
    }
  });

  it('holds back the bytes of an unfinished character', () => {
    const ids = neox.encodeIds('😀');
    expect(ids.length).toBeGreaterThan(1);
    const stream = new DecodeStream(neox);
    const outs = ids.map((id) => stream.step(id));
    expect(outs.slice(0, -1).every((o) => o === undefined)).toBe(true);
    expect(outs[outs.length - 1]).toBe('😀');
  });
});
