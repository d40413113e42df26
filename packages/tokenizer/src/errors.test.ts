// Malformed and unsupported files fail with typed errors that name the field and the value.
import { describe, expect, it } from 'vitest';
import { MalformedTokenizerError, TokenizerInputError, UnsupportedFeatureError } from './errors.js';
import { parseMergesTxt, parseVocabJson } from './models/bpeJson.js';
import { Tokenizer } from './tokenizer.js';

const vocab = { a: 0, b: 1, ab: 2, 'Ġ': 3 };
function file(patch: Record<string, unknown> = {}, model: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    ...patch,
    model: { type: 'BPE', dropout: null, unk_token: null, vocab, merges: ['a b'], ...model },
  });
}

function error(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('tokenizer.json errors', () => {
  it('loads the minimal valid file', () => {
    expect(Tokenizer.fromJSON(file()).encodeIds('ab')).toEqual([2]);
  });

  it('refuses a pre-tokenizer regex that backtracks catastrophically, at once', () => {
    const t0 = performance.now();
    for (const regex of ['(a+)+$', '(a*)*b', '(?:x|y+)*z', '((ab)+)+', '(\\w+\\s?)*$']) {
      const e = error(() => Tokenizer.fromJSON(file({ pre_tokenizer: { type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false } })));
      expect(e, regex).toBeInstanceOf(UnsupportedFeatureError);
      expect(e.message).toMatch(/nested unbounded repeat/);
    }
    expect(performance.now() - t0).toBeLessThan(1000);
    // bounded or unnested repeats stay accepted
    for (const regex of ['(ab)+', '(a+b)?', '\\p{N}{1,3}', "(?i:'s|'t)|\\p{L}+"]) {
      expect(() => Tokenizer.fromJSON(file({ pre_tokenizer: { type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false } })), regex).not.toThrow();
    }
  });

  it('refuses Sequences nested past the limit instead of overflowing the stack', () => {
    const nested = `${'{"type": "Sequence", "normalizers": ['.repeat(20_000)}{"type": "Lowercase"}${']}'.repeat(20_000)}`; // JSON.stringify would overflow here
    const text = file({ normalizer: 'NESTED' }).replace('"NESTED"', nested);
    const e = error(() => Tokenizer.fromJSON(text));
    expect(e).toBeInstanceOf(MalformedTokenizerError);
    expect(e.message).toMatch(/Sequences nested at most 32 deep/);
  });

  it.each([
    ['not JSON', () => Tokenizer.fromJSON('{"model": '), MalformedTokenizerError, /tokenizer\.json: expected JSON/],
    ['no model', () => Tokenizer.fromJSON('{}'), MalformedTokenizerError, /model: expected an object, got nothing \(missing\)/],
    ['a merge of unknown tokens', () => Tokenizer.fromJSON(file({}, { merges: ['a x'] })), MalformedTokenizerError, /model\.merges\[0\]: .*"x" is not/],
    ['a merge with three parts', () => Tokenizer.fromJSON(file({}, { merges: ['a b c'] })), MalformedTokenizerError, /model\.merges\[0\]: expected two tokens/],
    ['a negative id', () => Tokenizer.fromJSON(file({}, { vocab: { a: -1 } })), MalformedTokenizerError, /model\.vocab\["a"\]: expected an integer >= 0, got -1/],
    ['an unknown normalizer', () => Tokenizer.fromJSON(file({ normalizer: { type: 'Shout' } })), MalformedTokenizerError, /normalizer\.type: expected a Hugging Face normalizer type, got "Shout"/],
    ['a nested unknown pre-tokenizer', () => Tokenizer.fromJSON(file({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits' }, { type: 'Nope' }] } })), MalformedTokenizerError, /pre_tokenizer\.pretokenizers\[1\]\.type/],
    ['a bad split behavior', () => Tokenizer.fromJSON(file({ pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'Sideways', invert: false } })), MalformedTokenizerError, /pre_tokenizer\.behavior: expected one of Removed/],
    ['a bad added token', () => Tokenizer.fromJSON(file({ added_tokens: [{ id: 'x', content: 'a' }] })), MalformedTokenizerError, /added_tokens\[0\]\.id/],
    ['an unknown template token', () => Tokenizer.fromJSON(file({ post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }], pair: [], special_tokens: {} } })), MalformedTokenizerError, /post_processor\.single\[0\]\.SpecialToken\.id: expected a key of special_tokens, got "<s>"/],
    ['an unknown decoder', () => Tokenizer.fromJSON(file({ decoder: { type: 'Reverse' } })), MalformedTokenizerError, /decoder\.type/],
  ])('%s is a MalformedTokenizerError naming the field', (_name, f, cls, message) => {
    const e = error(f);
    expect(e).toBeInstanceOf(cls);
    expect(e.message).toMatch(message);
  });

  it.each([
    ['a WordPiece model', () => Tokenizer.fromJSON(file({}, { type: 'WordPiece' })), /model\.type = "WordPiece" is not implemented/],
    ['BPE dropout', () => Tokenizer.fromJSON(file({}, { dropout: 0.1 })), /model\.dropout = 0\.1 is not supported/],
    ['truncation', () => Tokenizer.fromJSON(file({ truncation: { max_length: 5 } })), /truncation = \{"max_length":5\} is not supported/],
    ['BertNormalizer', () => Tokenizer.fromJSON(file({ normalizer: { type: 'BertNormalizer' } })), /normalizer\.type = "BertNormalizer" is not implemented/],
    ['Metaspace', () => Tokenizer.fromJSON(file({ pre_tokenizer: { type: 'Metaspace' } })), /pre_tokenizer\.type = "Metaspace"/],
    ['an atomic group regex', () => Tokenizer.fromJSON(file({ pre_tokenizer: { type: 'Split', pattern: { Regex: '(?>a|b)' }, behavior: 'Isolated', invert: false } })), /pre_tokenizer\.pattern\.Regex = "\(\?>a\|b\)" uses an atomic group/],
  ])('%s is an UnsupportedFeatureError that says so', (_name, f, message) => {
    const e = error(f);
    expect(e).toBeInstanceOf(UnsupportedFeatureError);
    expect(e.message).toMatch(message);
  });

  it('GPT-2 files: bad vocab.json and merges.txt lines name the line', () => {
    expect(error(() => parseVocabJson('[1,2]'))).toBeInstanceOf(MalformedTokenizerError);
    expect(error(() => parseVocabJson('{"a": "1"}')).message).toMatch(/vocab\.json\["a"\]: expected an integer/);
    expect(error(() => parseMergesTxt('#version: 0.2\na b\nc\n')).message).toMatch(/merges\.txt line 2: expected two tokens/);
    expect(parseMergesTxt('#version: 0.2\r\na b\r\n')).toEqual([['a', 'b']]);
  });

  it('decode rejects ids that are not token ids, and skips unknown ones as Hugging Face does', () => {
    const t = Tokenizer.fromJSON(file());
    expect(error(() => t.decode([0, -1]))).toBeInstanceOf(TokenizerInputError);
    expect(error(() => t.decode([0.5])).message).toMatch(/ids\[0\] = 0\.5/);
    expect(t.decode([2, 99])).toBe('ab');
  });
});
