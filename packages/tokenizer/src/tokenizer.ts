// The Tokenizer: tokenizer.json's pipeline end to end. encode = added tokens -> normalizer ->
// pre-tokenizer -> model -> post-processor; decode = ids -> tokens -> decoder.
import { AddedVocabulary, type AddedToken } from './addedVocabulary.js';
import { byteUnitSpans, isAscii } from './byteAlphabet.js';
import { ByteLevelDecoder, type Decoder, decoderFromJson } from './decoders/index.js';
import { concatEncodings, emptyEncoding, type Encoding, pushToken } from './encoding.js';
import { MalformedTokenizerError, TokenizerInputError, UnsupportedFeatureError } from './errors.js';
import { asArray, asBool, asInt, asObject, asString, type Json, type JsonObject, typeOf } from './json.js';
import { BPE } from './models/bpe.js';
import { parseMergesTxt, parseVocabJson } from './models/bpeJson.js';
import { type Normalizer, normalizerFromJson } from './normalizers/index.js';
import { type Piece, pieceSpan } from './piece.js';
import { ByteLevelProcessor, type PostProcessor, postProcessorFromJson } from './processors/index.js';
import { ByteLevelPreTokenizer, type PreTokenizer, preTokenizerFromJson } from './preTokenizers/index.js';

export interface EncodeOptions {
  /** Let the post-processor add its special tokens (e.g. a template's `<s>`). Default true. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave out added tokens marked `special` (e.g. `<|endoftext|>`). Default false. */
  skipSpecialTokens?: boolean;
}

/** An encode input: one text, or a pair of texts. */
export type EncodeInput = string | [string, string];

export interface TokenizerParts {
  model: BPE;
  normalizer?: Normalizer | null;
  preTokenizer?: PreTokenizer | null;
  postProcessor?: PostProcessor | null;
  decoder?: Decoder | null;
  addedTokens?: AddedToken[];
}

const MODELS_ELSEWHERE = ['WordPiece', 'WordLevel', 'Unigram'];

export class Tokenizer {
  readonly model: BPE;
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly postProcessor: PostProcessor | null;
  readonly decoder: Decoder | null;
  readonly addedVocabulary: AddedVocabulary;
  private readonly addedTokens: AddedToken[];

  constructor(parts: TokenizerParts) {
    this.model = parts.model;
    this.normalizer = parts.normalizer ?? null;
    this.preTokenizer = parts.preTokenizer ?? null;
    this.postProcessor = parts.postProcessor ?? null;
    this.decoder = parts.decoder ?? null;
    this.addedTokens = parts.addedTokens ?? [];
    this.addedVocabulary = new AddedVocabulary(this.addedTokens, this.normalizer);
  }

  /** Read a Hugging Face `tokenizer.json` (its text or its parsed object). */
  static fromJSON(json: string | object): Tokenizer {
    let root: unknown = json;
    if (typeof json === 'string') {
      try {
        root = JSON.parse(json);
      } catch (e) {
        throw new MalformedTokenizerError('tokenizer.json', json.slice(0, 40), `JSON (${(e as Error).message})`);
      }
    }
    const o = asObject(root, 'tokenizer.json');
    for (const key of ['truncation', 'padding'] as const) {
      if (o[key] !== undefined && o[key] !== null) {
        throw new UnsupportedFeatureError(key, o[key], 'is not supported: set it to null (truncate and pad the ids yourself)');
      }
    }
    const modelType = typeOf(o.model, 'model');
    if (modelType !== 'BPE') {
      if (MODELS_ELSEWHERE.includes(modelType)) throw new UnsupportedFeatureError('model.type', modelType, 'is not implemented: only BPE models are');
      throw new MalformedTokenizerError('model.type', modelType, 'a Hugging Face model type');
    }
    const optional = <T>(v: Json | undefined, read: (v: Json) => T): T | null => (v === undefined || v === null ? null : read(v));
    const normalizer = optional(o.normalizer, (v) => normalizerFromJson(v));
    return new Tokenizer({
      model: BPE.fromJson(o.model),
      normalizer,
      preTokenizer: optional(o.pre_tokenizer, (v) => preTokenizerFromJson(v)),
      postProcessor: optional(o.post_processor, (v) => postProcessorFromJson(v)),
      decoder: optional(o.decoder, (v) => decoderFromJson(v)),
      addedTokens: asArray(o.added_tokens ?? [], 'added_tokens').map((t, i) => addedTokenFromJson(t, `added_tokens[${i}]`)),
    });
  }

  /**
   * GPT-2's own files: `vocab.json` (encoder.json) and `merges.txt` (vocab.bpe), set up as
   * Hugging Face's GPT-2 tokenizer.json is: ByteLevel pre-tokenizer without a prefix space,
   * ByteLevel decoder and post-processor, `<|endoftext|>` a special added token.
   */
  static fromGpt2Files(vocabJson: string, mergesTxt: string): Tokenizer {
    const vocab = parseVocabJson(vocabJson);
    const model = new BPE(vocab, parseMergesTxt(mergesTxt), {}, 'merges.txt');
    const eot = '<|endoftext|>';
    const eotId = vocab.get(eot);
    const added: AddedToken[] =
      eotId === undefined ? [] : [{ id: eotId, content: eot, singleWord: false, lstrip: false, rstrip: false, normalized: false, special: true }];
    return new Tokenizer({
      model,
      preTokenizer: new ByteLevelPreTokenizer({ addPrefixSpace: false, trimOffsets: true, useRegex: true }),
      postProcessor: new ByteLevelProcessor(true, false, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }),
      decoder: new ByteLevelDecoder({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }),
      addedTokens: added,
    });
  }

  /** Ids of one text (the fast path: no tokens, no offsets). */
  encodeIds(input: EncodeInput, options: EncodeOptions = {}): number[] {
    const texts = typeof input === 'string' ? [input] : input;
    const seqs = texts.map((t) => this.sequenceIds(t));
    const add = options.addSpecialTokens ?? true;
    const processed = this.postProcessor ? this.postProcessor.processIds(seqs, add) : seqs;
    return processed.length === 1 ? processed[0]! : processed.flat();
  }

  /** Full encoding of one text or a pair: ids, tokens, offsets, type ids, masks. */
  encode(input: EncodeInput, options: EncodeOptions = {}): Encoding {
    const texts = typeof input === 'string' ? [input] : input;
    const encodings = texts.map((t, i) => this.sequenceEncoding(t, i));
    const add = options.addSpecialTokens ?? true;
    const processed = this.postProcessor ? this.postProcessor.processEncodings(encodings, add) : encodings;
    return processed.length === 1 ? processed[0]! : concatEncodings(processed);
  }

  encodeBatch(inputs: EncodeInput[], options: EncodeOptions = {}): Encoding[] {
    return inputs.map((x) => this.encode(x, options));
  }

  encodeIdsBatch(inputs: EncodeInput[], options: EncodeOptions = {}): number[][] {
    return inputs.map((x) => this.encodeIds(x, options));
  }

  /** Text of `ids`. Ids with no token are left out, as Hugging Face does; a non-integer id throws. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0) throw new TokenizerInputError(`decode: ids[${i}] = ${id} is not a token id (an integer >= 0)`);
      if (skip && this.addedVocabulary.isSpecial(id)) continue;
      const t = this.addedVocabulary.decodeForm(id) ?? this.model.idToToken(id);
      if (t !== undefined) tokens.push(t);
    }
    return this.decoder ? this.decoder.decodeChain(tokens).join('') : tokens.join(' ');
  }

  decodeBatch(batch: ArrayLike<number>[], options: DecodeOptions = {}): string[] {
    return batch.map((ids) => this.decode(ids, options));
  }

  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.byContent.get(token)?.id ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedVocabulary.decodeForm(id) ?? this.model.idToToken(id);
  }

  /** Token -> id, the model's vocabulary with (by default) the added tokens. */
  getVocab(withAddedTokens = true): Map<string, number> {
    const v = new Map(this.model.vocab);
    if (withAddedTokens) for (const t of this.addedVocabulary.byId.values()) v.set(t.content, t.id);
    return v;
  }

  /** Number of distinct tokens (with the added ones by default). One more than the largest id for NeoX-20B and GPT-2. */
  vocabSize(withAddedTokens = true): number {
    return withAddedTokens ? this.getVocab(true).size : this.model.vocabSize;
  }

  /** The special tokens' contents (added tokens marked `special`). */
  specialTokens(): string[] {
    return [...this.addedVocabulary.byId.values()].filter((t) => t.special).map((t) => t.content);
  }

  /** This tokenizer as a Hugging Face tokenizer.json object. */
  toJSON(): JsonObject {
    const addedTokens = [...this.addedTokens]
      .sort((a, b) => a.id - b.id)
      .map((t) => ({
        id: t.id,
        content: t.content,
        single_word: t.singleWord,
        lstrip: t.lstrip,
        rstrip: t.rstrip,
        normalized: t.normalized,
        special: t.special,
      }));
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens,
      normalizer: (this.normalizer?.toJSON() ?? null) as Json,
      pre_tokenizer: (this.preTokenizer?.toJSON() ?? null) as Json,
      post_processor: (this.postProcessor?.toJSON() ?? null) as Json,
      decoder: (this.decoder?.toJSON() ?? null) as Json,
      model: this.model.toJSON(),
    };
  }

  /** tokenizer.json text. */
  toString(): string {
    return JSON.stringify(this.toJSON(), null, 2);
  }

  private preTokenize(p: Piece, out: Piece[]): void {
    if (this.preTokenizer) this.preTokenizer.preTokenize(p, out);
    else if (p.text.length > 0) out.push(p);
  }

  private sequenceIds(text: string): number[] {
    const ids: number[] = [];
    const words: Piece[] = [];
    const byteLevel = this.preTokenizer instanceof ByteLevelPreTokenizer ? this.preTokenizer : null;
    const model = this.model;
    const visit = (t: string, start: number, end: number): void => model.tokenizeSpanInto(t, start, end, ids);
    for (const p of this.addedVocabulary.extractAndNormalize(wellFormed(text), this.normalizer, false)) {
      if (p.addedId >= 0) {
        ids.push(p.addedId);
        continue;
      }
      if (byteLevel !== null) {
        byteLevel.forEachWordOf(p.text, visit);
        continue;
      }
      words.length = 0;
      this.preTokenize(p, words);
      for (const w of words) this.model.tokenizeInto(w, ids);
    }
    return ids;
  }

  private sequenceEncoding(text: string, typeId: number): Encoding {
    const e = emptyEncoding();
    const words: Piece[] = [];
    const byteLevel = this.preTokenizer instanceof ByteLevelPreTokenizer ? this.preTokenizer : null;
    for (const p of this.addedVocabulary.extractAndNormalize(wellFormed(text), this.normalizer, true)) {
      if (p.addedId >= 0) {
        pushToken(e, p.addedId, p.text, pieceSpan(p), typeId, false, typeId);
        continue;
      }
      if (byteLevel !== null) {
        // the common case without per-word pieces: spans index the prepared piece directly
        const q = byteLevel.withPrefixSpace(p);
        byteLevel.forEachWordSpan(q.text, (start, end) => this.pushWord(e, q.text.slice(start, end), true, q.align!, start, typeId));
        continue;
      }
      words.length = 0;
      this.preTokenize(p, words);
      for (const w of words) this.pushWord(e, w.text, w.byteLevel, w.align!, 0, typeId);
    }
    return e;
  }

  /** The tokens of one word, offsets through `align` (the word starts at unit `at` of it). */
  private pushWord(e: Encoding, word: string, byteLevel: boolean, align: Int32Array, at: number, typeId: number): void {
    const r = this.model.tokenizeWord(word, byteLevel);
    const spans = byteLevel && !isAscii(word) ? byteUnitSpans(word) : null;
    for (let k = 0; k < r.length; k += 3) {
      const id = r[k]!;
      const u0 = at + (spans ? spans.first[r[k + 1]!]! : r[k + 1]!);
      const u1 = at + (spans ? spans.last[r[k + 2]! - 1]! : r[k + 2]! - 1);
      pushToken(e, id, this.model.idToToken(id)!, [align[2 * u0]!, align[2 * u1 + 1]!], typeId, false, typeId);
    }
  }
}

function addedTokenFromJson(v: Json, field: string): AddedToken {
  const o = asObject(v, field);
  return {
    id: asInt(o.id, `${field}.id`),
    content: asString(o.content, `${field}.content`),
    singleWord: asBool(o.single_word, `${field}.single_word`, false),
    lstrip: asBool(o.lstrip, `${field}.lstrip`, false),
    rstrip: asBool(o.rstrip, `${field}.rstrip`, false),
    normalized: asBool(o.normalized, `${field}.normalized`, !(o.special === true)),
    special: asBool(o.special, `${field}.special`, false),
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Lone surrogates become U+FFFD, as they do on their way into Hugging Face's Rust library (a JS
 * string holding one is not valid Unicode); the length is unchanged, so offsets still line up.
 */
export function wellFormed(text: string): string {
  const s = text as string & { isWellFormed?: () => boolean };
  if (s.isWellFormed ? s.isWellFormed() : !LONE_SURROGATE.test(text)) return text;
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
