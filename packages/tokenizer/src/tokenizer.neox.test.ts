// GPT-NeoX-20B's tokenizer.json (TokenFormer's and Pythia's), checked against Hugging Face's library.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEOX_20B_TOKENIZER, npmAsset, parityCorpus } from '@tokenformer/testing/text';
import { HfTokenizer, parityMismatches } from './hfParity.test-helper.js';
import { Tokenizer } from './tokenizer.js';

let path: string;
let ours: Tokenizer;
let hf: HfTokenizer;

beforeAll(() => {
  path = npmAsset(NEOX_20B_TOKENIZER);
  ours = Tokenizer.fromJSON(readFileSync(path, 'utf8'));
  hf = HfTokenizer.fromFile(path);
});

describe('GPT-NeoX-20B tokenizer', () => {
  it('has the published vocabulary: 50,277 ids, 50,254 in the BPE model', () => {
    expect(ours.vocabSize()).toBe(hf.getVocabSize(true));
    expect(ours.vocabSize()).toBe(50277);
    expect(ours.vocabSize(false)).toBe(hf.getVocabSize(false));
    expect(ours.tokenToId('<|endoftext|>')).toBe(0);
    expect(ours.tokenToId('<|padding|>')).toBe(1);
    expect(ours.specialTokens()).toEqual(['<|endoftext|>', '<|padding|>']);
  });

  it('maps tokens and ids both ways as Hugging Face does', () => {
    for (const id of [0, 1, 2, 187, 1000, 12345, 50253, 50254, 50276]) {
      expect(ours.idToToken(id)).toBe(hf.idToToken(id));
      expect(ours.tokenToId(ours.idToToken(id)!)).toBe(hf.tokenToId(hf.idToToken(id)!));
    }
    expect(ours.idToToken(50277)).toBeUndefined();
    expect(hf.idToToken(50277)).toBeNull();
  });

  it('gives identical ids, tokens, offsets and decodes on the parity corpus', async () => {
    const texts = parityCorpus(ours.specialTokens(), 1);
    expect(texts.length).toBeGreaterThan(600);
    const bad = await parityMismatches(ours, hf, texts);
    expect(bad, bad.slice(0, 10).join('\n')).toEqual([]);
  });

  it('encodes a batch as one by one', () => {
    const texts = ['Hello world', 'a  b', '<|endoftext|>x'];
    expect(ours.encodeBatch(texts).map((e) => e.ids)).toEqual(texts.map((t) => ours.encodeIds(t)));
  });

  it('drops special tokens on request when decoding', () => {
    const ids = ours.encodeIds('one<|endoftext|>two<|padding|>');
    expect(ours.decode(ids)).toBe('one<|endoftext|>two<|padding|>');
    expect(ours.decode(ids, { skipSpecialTokens: true })).toBe('onetwo');
  });
});
