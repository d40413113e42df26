// Every pipeline component, checked against Hugging Face's library: each case is a tokenizer.json
// (a small BPE trained here, wrapped in the component under test) loaded by both libraries and
// run over the same texts. Ids, tokens, offsets and decodes must agree.
import { beforeAll, describe, expect, it } from 'vitest';
import { parityCorpus, sotuTexts } from '@tokenformer/testing/text';
import { HfTokenizer, parityMismatches } from './hfParity.test-helper.js';
import type { JsonObject } from './json.js';
import { byteToken } from './models/bpe.js';
import { Tokenizer } from './tokenizer.js';
import { BpeTrainer } from './trainer/bpeTrainer.js';
import { Whitespace } from './preTokenizers/index.js';

const BL = (addPrefixSpace = false, useRegex = true) => ({ type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: useRegex });
const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const added = (id: number, content: string, o: Partial<Record<'special' | 'lstrip' | 'rstrip' | 'single_word' | 'normalized', boolean>> = {}) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
  ...o,
});

let byteLevelBase: JsonObject;
let charBase: JsonObject;
let texts: { kind: string; text: string }[];

beforeAll(() => {
  const docs = sotuTexts().slice(0, 30);
  const t = new BpeTrainer({ vocabSize: 800, specialTokens: ['<s>', '</s>', '<unk>', 'HELLO', '<mask>'] });
  for (const d of docs) t.feed(d);
  byteLevelBase = t.train().toJSON();
  // a character-level BPE (no byte alphabet, a small one), for unk / byte-fallback / prefix cases
  const c = new BpeTrainer({ vocabSize: 300, initialAlphabet: [], limitAlphabet: 40, specialTokens: ['<unk>'], preTokenizer: new Whitespace() });
  for (const d of docs) c.feed(d);
  charBase = c.train().toJSON();
  texts = parityCorpus(['<s>', '</s>', 'HELLO', '<mask>'], 4).filter((_, i) => i % 3 === 0);
  texts.push({ kind: 'added', text: 'say hello HELLO  HELLO, xHELLOx <mask> a<mask>b  <mask>  end' });
});

type Case = [name: string, build: () => JsonObject, pairs?: boolean];

const withBase = (patch: JsonObject, model: JsonObject = {}): JsonObject => ({ ...byteLevelBase, ...patch, model: { ...(byteLevelBase.model as JsonObject), ...model } });
const withChar = (patch: JsonObject, model: JsonObject = {}): JsonObject => ({ ...charBase, ...patch, model: { ...(charBase.model as JsonObject), ...model } });

const cases: Case[] = [
  ['the trained byte-level tokenizer', () => withBase({})],
  ['normalizer Sequence[NFD, Lowercase]', () => withBase({ normalizer: { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }] } })],
  ['normalizer NFKC', () => withBase({ normalizer: { type: 'NFKC' } })],
  ['normalizer NFKD', () => withBase({ normalizer: { type: 'NFKD' } })],
  ['normalizer Strip + Replace(String) + Prepend', () => withBase({ normalizer: { type: 'Sequence', normalizers: [{ type: 'Strip', strip_left: true, strip_right: true }, { type: 'Replace', pattern: { String: 'the' }, content: 'THE' }, { type: 'Prepend', prepend: '>' }] } })],
  ['normalizer Replace(Regex \\s+)', () => withBase({ normalizer: { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' } })],
  ['ByteLevel with add_prefix_space', () => withBase({ pre_tokenizer: BL(true), post_processor: BL(true) })],
  ['Split(Llama-3 regex) then ByteLevel without regex', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: LLAMA3 }, behavior: 'Isolated', invert: false }, BL(false, false)] } })],
  ['Digits (individual) then ByteLevel', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, BL()] } })],
  ['Digits (contiguous) then ByteLevel', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: false }, BL()] } })],
  ...(['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'] as const).map(
    (behavior): Case => [`Split(" ", ${behavior})`, () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { String: ' ' }, behavior, invert: false }, BL(false, false)] } })],
  ),
  ['Split(\\p{N}+, invert, MergedWithPrevious)', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: '\\p{N}+' }, behavior: 'MergedWithPrevious', invert: true }, BL(false, false)] } })],
  ['Whitespace then ByteLevel', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Whitespace' }, BL(false, false)] } })],
  ['WhitespaceSplit then ByteLevel', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, BL(false, false)] } })],
  ['Punctuation then ByteLevel', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Punctuation', behavior: 'Isolated' }, BL()] } })],
  ['CharDelimiterSplit then ByteLevel', () => withBase({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'CharDelimiterSplit', delimiter: 'e' }, BL()] } })],
  ['ignore_merges', () => withBase({}, { ignore_merges: true })],
  [
    'TemplateProcessing after ByteLevel, single and pair',
    () =>
      withBase({
        post_processor: {
          type: 'Sequence',
          processors: [
            BL(),
            {
              type: 'TemplateProcessing',
              single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
              pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '</s>', type_id: 1 } }],
              special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
            },
          ],
        },
      }),
    true,
  ],
  [
    'added tokens: lstrip, rstrip, single_word, normalized under Lowercase',
    () =>
      withBase({
        normalizer: { type: 'Lowercase' },
        added_tokens: [added(0, '<s>'), added(1, '</s>', { lstrip: true, rstrip: true }), added(2, '<unk>'), added(3, 'HELLO', { normalized: true, special: false, single_word: true }), added(4, '<mask>', { lstrip: true })],
      }),
  ],
  ['decoder Sequence[ByteLevel, Strip, Replace]', () => withBase({ decoder: { type: 'Sequence', decoders: [BL(), { type: 'Strip', content: ' ', start: 1, stop: 0 }, { type: 'Replace', pattern: { String: 'e' }, content: 'E' }] } })],
  ['char BPE with unk', () => withChar({}, { unk_token: '<unk>' })],
  ['char BPE with fused unk', () => withChar({}, { unk_token: '<unk>', fuse_unk: true })],
  [
    'char BPE with byte fallback and its decoders',
    () => {
      const base = withChar({ decoder: { type: 'Sequence', decoders: [{ type: 'ByteFallback' }, { type: 'Fuse' }] } }, { byte_fallback: true, unk_token: '<unk>' });
      const vocab = { ...((base.model as JsonObject).vocab as JsonObject) };
      let next = Object.keys(vocab).length;
      for (let b = 0; b < 256; b++) vocab[byteToken(b)] = next++;
      return { ...base, model: { ...(base.model as JsonObject), vocab } };
    },
  ],
  [
    'continuing_subword_prefix, end_of_word_suffix and the BPE decoder',
    () => ({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: { type: 'BPEDecoder', suffix: '</w>' },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: '##',
        end_of_word_suffix: '</w>',
        fuse_unk: false,
        byte_fallback: false,
        vocab: Object.fromEntries(['<unk>', 't', '##h', '##e</w>', '##e', 'th', 'the</w>', 'a</w>', 'a', '##n', '##d</w>', 'an', 'and</w>'].map((t, i) => [t, i])),
        merges: [['t', '##h'], ['th', '##e</w>'], ['a', '##n'], ['an', '##d</w>']],
      },
    }),
  ],
];

describe('pipeline components against Hugging Face', () => {
  it.each(cases)('%s', async (_name, build, pairs) => {
    const json = build();
    const ours = Tokenizer.fromJSON(json);
    const hf = HfTokenizer.fromString(JSON.stringify(json));
    const bad = await parityMismatches(ours, hf, texts);
    if (pairs) {
      for (const [a, b] of [['Hello there', 'General Kenobi'], ['', 'x'], ['one', '']]) {
        const theirs = await hf.encode(a!, b!);
        const mine = ours.encode([a!, b!]);
        if (JSON.stringify([mine.ids, mine.typeIds, mine.specialTokensMask]) !== JSON.stringify([theirs.getIds(), theirs.getTypeIds(), theirs.getSpecialTokensMask()])) {
          bad.push(`pair ${a}|${b}: ours ${JSON.stringify([mine.ids, mine.typeIds, mine.specialTokensMask])} vs ${JSON.stringify([theirs.getIds(), theirs.getTypeIds(), theirs.getSpecialTokensMask()])}`);
        }
        if (JSON.stringify(ours.encodeIds([a!, b!])) !== JSON.stringify(theirs.getIds())) bad.push(`pair ${a}|${b}: encodeIds differs`);
      }
      const noSpecial = await hf.encode('Hello there', null, { addSpecialTokens: false });
      if (JSON.stringify(ours.encodeIds('Hello there', { addSpecialTokens: false })) !== JSON.stringify(noSpecial.getIds())) bad.push('addSpecialTokens: false differs');
    }
    expect(bad, bad.slice(0, 8).join('\n')).toEqual([]);
  });
});
