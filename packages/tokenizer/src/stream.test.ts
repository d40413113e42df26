// Streaming encode equals whole-text encode, chunked at any size.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GPT2_MERGES_TXT, GPT2_VOCAB_JSON, NEOX_20B_TOKENIZER, npmAsset, parityCorpus, sotuTexts } from '@tokenformer/testing/text';
import { UnsupportedFeatureError } from './errors.js';
import { encodeFile, loadTokenizer, saveTokenizer } from './node.js';
import { ByteLevelPreTokenizer } from './preTokenizers/index.js';
import { canStream, encodeStream, lastSafeCut } from './stream.js';
import { Tokenizer } from './tokenizer.js';

let neox: Tokenizer;
let gpt2: Tokenizer;
let text: string;

beforeAll(() => {
  neox = loadTokenizer(npmAsset(NEOX_20B_TOKENIZER));
  gpt2 = Tokenizer.fromGpt2Files(readFileSync(npmAsset(GPT2_VOCAB_JSON), 'utf8'), readFileSync(npmAsset(GPT2_MERGES_TXT), 'utf8'));
  // prose, then every hazard of the parity corpus, joined by assorted separators
  const parts = parityCorpus(['<|endoftext|>'], 5).map((t) => t.text);
  text = sotuTexts().slice(200, 203).join('\n') + parts.join('\n') + parts.join(' ') + parts.join('');
});

function* chunksOf(s: string, seed: number): Generator<string> {
  let x = seed;
  for (let i = 0; i < s.length; ) {
    x = (x * 1103515245 + 12345) >>> 0;
    const n = 1 + (x % 5000);
    yield s.slice(i, i + n);
    i += n;
  }
}

async function collect(g: AsyncGenerator<number[]>): Promise<number[]> {
  const out: number[] = [];
  for await (const ids of g) for (const id of ids) out.push(id);
  return out;
}

describe('encodeStream', () => {
  it.each(['neox', 'gpt2'])('gives the whole-text ids for %s at any chunking', async (name) => {
    const t = name === 'neox' ? neox : gpt2;
    expect(canStream(t)).toBe(true);
    const whole = t.encodeIds(text, { addSpecialTokens: false });
    for (const [seed, chunkSize] of [
      [1, 1000],
      [2, 4096],
      [3, 65536],
    ] as const) {
      expect(await collect(encodeStream(t, chunksOf(text, seed), { chunkSize }))).toEqual(whole);
    }
  });

  it('encodes a file in pieces, and a saved tokenizer loads back the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-'));
    try {
      const file = join(dir, 'text.txt');
      writeFileSync(file, text);
      expect(await collect(encodeFile(neox, file, { chunkSize: 10000 }))).toEqual(neox.encodeIds(text));
      saveTokenizer(neox, join(dir, 'tokenizer.json'));
      expect(loadTokenizer(dir).encodeIds(text)).toEqual(neox.encodeIds(text));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts only between a newline (or a single space) and non-space text', () => {
    expect(lastSafeCut('one two\nthree  four', 0)).toBe(8);
    expect(lastSafeCut('one\n\ntwo', 0)).toBe(-1);
    expect(lastSafeCut('one two', 0)).toBe(3);
    expect(lastSafeCut('one  two', 0)).toBe(-1);
  });

  it('refuses a pipeline it cannot cut exactly', async () => {
    const json = neox.toJSON();
    const t = Tokenizer.fromJSON({ ...json, pre_tokenizer: new ByteLevelPreTokenizer({ addPrefixSpace: true, trimOffsets: true, useRegex: true }).toJSON() });
    expect(canStream(t)).toBe(false);
    await expect(collect(encodeStream(t, ['a b']))).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });
});
