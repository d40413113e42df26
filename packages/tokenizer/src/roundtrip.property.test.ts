// decode(encode(s)) === s for every string the normalizer leaves unchanged: 100,000 generated
// strings per tokenizer (fast-check prints the seed and the shrunk counterexample on failure).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAR_POOLS, GPT2_MERGES_TXT, GPT2_VOCAB_JSON, NEOX_20B_TOKENIZER, npmAsset, sotuTexts } from '@tokenformer/testing/text';
import { Tokenizer } from './tokenizer.js';
import { BpeTrainer } from './trainer/bpeTrainer.js';

const RUNS = 100_000;
const tokenizers: Record<string, Tokenizer> = {};

beforeAll(() => {
  tokenizers.neox = Tokenizer.fromJSON(readFileSync(npmAsset(NEOX_20B_TOKENIZER), 'utf8'));
  tokenizers.gpt2 = Tokenizer.fromGpt2Files(readFileSync(npmAsset(GPT2_VOCAB_JSON), 'utf8'), readFileSync(npmAsset(GPT2_MERGES_TXT), 'utf8'));
  const trainer = new BpeTrainer({ vocabSize: 1500, specialTokens: ['<|endoftext|>'] });
  for (const doc of sotuTexts().slice(0, 20)) trainer.feed(doc);
  tokenizers.trained = trainer.train();
});

/** Strings of every kind: any code point, graphemes, and the parity pools with special tokens. */
function texts(specials: string[]): fc.Arbitrary<string> {
  const pooled = fc
    .array(fc.oneof(...Object.values(CHAR_POOLS).map((p) => fc.constantFrom(...p)), fc.constantFrom(...specials)), { maxLength: 40 })
    .map((parts) => parts.join(''));
  return fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 30 }), pooled);
}

describe.each(['neox', 'gpt2', 'trained'])('%s tokenizer', (name) => {
  it(`decode(encode(s)) === s on ${RUNS.toLocaleString('en')} strings whose normalization is the identity`, () => {
    const t = tokenizers[name]!;
    const identity = (s: string): boolean => (t.normalizer ? t.normalizer.normalize({ text: s, align: null, byteLevel: false, addedId: -1 }).text === s : true);
    let checked = 0;
    fc.assert(
      fc.property(texts(t.specialTokens()), (s) => {
        fc.pre(identity(s));
        checked++;
        return t.decode(t.encodeIds(s)) === s;
      }),
      { numRuns: RUNS, seed: Number(process.env.TOKENIZER_PROPERTY_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(checked).toBeGreaterThanOrEqual(RUNS);
  });
});
