// GPT-2 from OpenAI's own files (vocab.json = encoder.json, merges.txt = vocab.bpe), checked against
// Hugging Face's library loading the same two files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BPE, byteLevelPreTokenizer, byteLevelProcessing, Tokenizer as HfTok } from 'tokenizers';
import { GPT2_MERGES_TXT, GPT2_VOCAB_JSON, npmAsset, parityCorpus } from '@tokenformer/testing/text';
import { HfTokenizer, parityMismatches } from './hfParity.test-helper.js';
import { Tokenizer } from './tokenizer.js';

let ours: Tokenizer;
let hf: HfTokenizer;
let dir: string;

beforeAll(async () => {
  const vocabPath = npmAsset(GPT2_VOCAB_JSON);
  const mergesPath = npmAsset(GPT2_MERGES_TXT);
  ours = Tokenizer.fromGpt2Files(readFileSync(vocabPath, 'utf8'), readFileSync(mergesPath, 'utf8'));
  // Hugging Face's reference: its BPE reads the two files; the node binding has no ByteLevel
  // decoder constructor, so the saved tokenizer.json gets one before reloading.
  const t = new HfTok(await BPE.fromFile(vocabPath, mergesPath));
  t.setPreTokenizer(byteLevelPreTokenizer(false, true));
  t.setPostProcessor(byteLevelProcessing(true));
  t.addSpecialTokens(['<|endoftext|>']);
  dir = mkdtempSync(join(tmpdir(), 'gpt2-'));
  const file = join(dir, 'tokenizer.json');
  t.save(file);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.decoder = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  json.post_processor.add_prefix_space = false;
  hf = HfTokenizer.fromString(JSON.stringify(json));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GPT-2 tokenizer from vocab.json + merges.txt', () => {
  it('has 50,257 ids and the reference encoding of "Hello world"', () => {
    expect(ours.vocabSize()).toBe(50257);
    expect(ours.encodeIds('Hello world')).toEqual([15496, 995]);
    expect(ours.tokenToId('<|endoftext|>')).toBe(50256);
  });

  it('gives identical ids, tokens, offsets and decodes on the parity corpus', async () => {
    const texts = parityCorpus(['<|endoftext|>'], 2);
    const bad = await parityMismatches(ours, hf, texts);
    expect(bad, bad.slice(0, 10).join('\n')).toEqual([]);
  });

  it('round-trips through its own tokenizer.json', () => {
    const again = Tokenizer.fromJSON(ours.toString());
    const text = "It's 2024: héllo wörld 👋  <|endoftext|>";
    expect(again.encode(text)).toEqual(ours.encode(text));
  });
});
