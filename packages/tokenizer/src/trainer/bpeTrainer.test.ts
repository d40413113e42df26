// The BPE trainer against Hugging Face's own trainer (same corpus, same options: the node
// binding's default BpeTrainer), and its output against Hugging Face's encoder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BPE as HfBPE, byteLevelPreTokenizer, Tokenizer as HfTok } from 'tokenizers';
import { parityCorpus, sotuTexts } from '@tokenformer/testing/text';
import { parityMismatches } from '../hfParity.test-helper.js';
import { readLines, trainFromFiles } from '../node.js';
import { TokenizerInputError } from '../errors.js';
import { Tokenizer } from '../tokenizer.js';
import { BpeTrainer } from './bpeTrainer.js';

let dir: string;
let corpusFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bpe-train-'));
  corpusFile = join(dir, 'corpus.txt');
  const docs = sotuTexts();
  // ~400 KB: addresses from three centuries, plus some non-English lines
  const text = [docs[3], docs[120], docs[docs.length - 3], 'Ünïcödé çhäracters, 日本語のテキスト, emoji 😀👍🏽\n  indented   line\t\ttabs\n'].join('\n');
  writeFileSync(corpusFile, text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('BpeTrainer', () => {
  it('learns exactly the vocabulary and merges Hugging Face learns from the same file', async () => {
    const hf = new HfTok(HfBPE.empty());
    hf.setPreTokenizer(byteLevelPreTokenizer(false, true));
    hf.train([corpusFile]);
    const saved = join(dir, 'hf.json');
    hf.save(saved);
    const theirs = JSON.parse(readFileSync(saved, 'utf8')).model as { vocab: Record<string, number>; merges: [string, string][] };

    // Hugging Face's defaults: vocab 30,000, min frequency 0, no initial alphabet
    const trainer = new BpeTrainer({ initialAlphabet: [] });
    for await (const line of readLines(corpusFile)) trainer.feed(line);
    const ours = trainer.learn(trainer.wordCounts());
    expect(ours.merges.length).toBeGreaterThan(5000);
    expect(ours.merges.length).toBe(theirs.merges.length);
    const firstDiff = ours.merges.findIndex((m, i) => m[0] !== theirs.merges[i]![0] || m[1] !== theirs.merges[i]![1]);
    expect(firstDiff, `first differing merge #${firstDiff}`).toBe(-1);
    expect(Object.fromEntries(ours.vocab)).toEqual(theirs.vocab);
  });

  it('writes a tokenizer.json that Hugging Face loads and encodes identically', async () => {
    const ours = await trainFromFiles([corpusFile], { vocabSize: 2000, minFrequency: 2, specialTokens: ['<|endoftext|>', '<pad>'] });
    expect(ours.vocabSize()).toBe(2000);
    expect(ours.tokenToId('<|endoftext|>')).toBe(0);
    expect(ours.tokenToId('<pad>')).toBe(1);
    const hf = HfTok.fromString(ours.toString());
    const texts = parityCorpus(['<|endoftext|>', '<pad>'], 3);
    const bad = await parityMismatches(ours, hf, texts);
    expect(bad, bad.slice(0, 10).join('\n')).toEqual([]);
    // and reloads into the same tokenizer here
    expect(Tokenizer.fromJSON(ours.toString()).encodeIds('Fellow-Citizens of the Senate')).toEqual(ours.encodeIds('Fellow-Citizens of the Senate'));
  });

  it('bounds memory: past maxWords the rarest words are dropped and counted', () => {
    const trainer = new BpeTrainer({ maxWords: 1000, vocabSize: 300 });
    for (const doc of sotuTexts().slice(0, 5)) trainer.feed(doc);
    expect(trainer.stats.words).toBeLessThanOrEqual(1000);
    expect(trainer.stats.dropped).toBeGreaterThan(0);
    expect(trainer.train().vocabSize()).toBe(300);
  });

  it('stops at minFrequency and keeps the whole byte alphabet by default', () => {
    const trainer = new BpeTrainer({ vocabSize: 100000, minFrequency: 200 });
    for (const doc of sotuTexts().slice(0, 10)) trainer.feed(doc);
    const t = trainer.train();
    expect(t.vocabSize()).toBeGreaterThan(300);
    expect(t.vocabSize()).toBeLessThan(1000);
    // any byte is encodable and decodes back
    const s = 'never seen: 😀 ü \u0000 漢字';
    expect(t.decode(t.encodeIds(s))).toBe(s);
  });

  it('rejects bad options with the value and the limit', () => {
    expect(() => new BpeTrainer({ vocabSize: 0 })).toThrow(TokenizerInputError);
    expect(() => new BpeTrainer({ vocabSize: 2.5 })).toThrow(/vocabSize = 2.5 must be an integer in \[1, /);
    expect(() => new BpeTrainer({ minFrequency: -1 })).toThrow(/minFrequency = -1/);
  });
});
