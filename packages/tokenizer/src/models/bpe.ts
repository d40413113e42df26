// The BPE model (Hugging Face `models/bpe`): a word's characters (or, for byte-level pieces, its
// UTF-8 bytes) are merged pair by pair, always the pair of lowest rank first and, among equal
// ranks, the leftmost: exactly the order of Hugging Face's priority queue.
import { BYTE_TO_CHAR, isAscii, toByteLevel, utf8 } from '../byteAlphabet.js';
import { MalformedTokenizerError, UnsupportedFeatureError } from '../errors.js';
import { asArray, asInt, asObject, type JsonObject } from '../json.js';
import type { Piece } from '../piece.js';
import { PairTable } from './pairTable.js';
import { mergeLong, mergeShort, type Symbols } from './merge.js';
import { SpanCache } from './wordCache.js';
import { optionsFromJson, parseMerge, type BpeOptions } from './bpeJson.js';

export type { BpeOptions };

export const MAX_VOCAB_ID = 0x7fffffff;
/** Words longer than this many symbols use the heap merge instead of the quadratic scan. */
const SHORT_WORD = 48;
/** Words longer than this are not cached. */
const MAX_CACHED_LENGTH = 256;

export class BPE {
  readonly vocab: Map<string, number>;
  readonly vocabR: (string | undefined)[];
  readonly merges: [string, string][];
  private readonly table: PairTable;
  /** Vocabulary id of each byte's alphabet character, or -1; usable when `byteDirect`. */
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly byteDirect: boolean;
  private readonly unkId: number;
  private readonly cacheRaw = new Map<string, Int32Array>();
  private readonly cacheText = new Map<string, Int32Array>();
  /** The fast path's cache of byte-level words: a word's one id, or its ids. */
  private readonly spanCache: SpanCache;
  private readonly cacheCapacity: number;
  private readonly syms: Symbols = { ids: new Int32Array(64), starts: new Int32Array(64), ends: new Int32Array(64), n: 0 };

  constructor(
    vocab: Map<string, number>,
    merges: [string, string][],
    readonly options: BpeOptions = {},
    field = 'model',
  ) {
    this.vocab = vocab;
    this.merges = merges;
    this.vocabR = [];
    for (const [tok, id] of vocab) {
      if (!Number.isInteger(id) || id < 0 || id > MAX_VOCAB_ID) {
        throw new MalformedTokenizerError(`${field}.vocab[${JSON.stringify(tok)}]`, id, `an integer id in [0, ${MAX_VOCAB_ID}]`);
      }
      this.vocabR[id] = tok;
    }
    this.cacheCapacity = options.cacheCapacity ?? 65536;
    this.spanCache = new SpanCache(this.cacheCapacity);
    const prefix = options.continuingSubwordPrefix ?? '';
    this.table = new PairTable(merges.length);
    merges.forEach(([a, b], rank) => {
      const aId = vocab.get(a);
      const bId = vocab.get(b);
      const newToken = a + b.slice(prefix.length);
      const newId = vocab.get(newToken);
      const missing = aId === undefined ? a : bId === undefined ? b : newId === undefined ? newToken : undefined;
      if (missing !== undefined) {
        throw new MalformedTokenizerError(`${field}.merges[${rank}]`, [a, b], `tokens in the vocabulary (${JSON.stringify(missing)} is not)`);
      }
      this.table.set(aId!, bId!, rank, newId!);
    });
    const unk = options.unkToken;
    this.unkId = unk === undefined ? -1 : (vocab.get(unk) ?? -2);
    if (this.unkId === -2) throw new MalformedTokenizerError(`${field}.unk_token`, unk, 'a token in the vocabulary');
    let direct = prefix === '' && (options.endOfWordSuffix ?? '') === '';
    for (let b = 0; b < 256; b++) {
      const id = vocab.get(BYTE_TO_CHAR[b]!);
      if (id === undefined) direct = false;
      else this.byteIds[b] = id;
    }
    this.byteDirect = direct;
  }

  static fromJson(v: unknown, field = 'model'): BPE {
    const o = asObject(v, field);
    if (o.dropout !== undefined && o.dropout !== null && o.dropout !== 0) {
      throw new UnsupportedFeatureError(`${field}.dropout`, o.dropout, 'is not supported: BPE dropout is off in this package');
    }
    const vocabJson = asObject(o.vocab, `${field}.vocab`);
    const vocab = new Map<string, number>();
    for (const [tok, id] of Object.entries(vocabJson)) vocab.set(tok, asInt(id, `${field}.vocab[${JSON.stringify(tok)}]`));
    const merges = asArray(o.merges, `${field}.merges`).map((m, i) => parseMerge(m, `${field}.merges[${i}]`));
    return new BPE(vocab, merges, optionsFromJson(o, field), field);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocabR[id];
  }

  /** Append the ids of a pre-tokenized piece to `out` (the fast path: no offsets). */
  tokenizeInto(p: Piece, out: number[]): void {
    const r = this.tokenize(p);
    for (let i = 0; i < r.length; i += 3) out.push(r[i]!);
  }

  /**
   * Append the ids of the byte-level word text[start, end) to `out`: the fastest path (the word is
   * looked up in place; only a cache miss cuts it out of the text).
   */
  tokenizeSpanInto(text: string, start: number, end: number, out: number[]): void {
    const h = SpanCache.hash(text, start, end);
    let r = this.spanCache.get(text, start, end, h);
    if (r === undefined) {
      const word = text.slice(start, end);
      const t = this.tokenizeUncached(word, true);
      if (t.length === 3) r = t[0]!;
      else {
        const ids: number[] = [];
        for (let i = 0; i < t.length; i += 3) ids.push(t[i]!);
        r = ids;
      }
      if (word.length <= MAX_CACHED_LENGTH) this.spanCache.set(word, h, r);
    }
    if (typeof r === 'number') out.push(r);
    else for (let i = 0; i < r.length; i++) out.push(r[i]!);
  }

  /**
   * The tokens of a piece as [id, start, end] triples (flattened), start/end in the piece's own
   * units: UTF-8 bytes of `p.text` for a byte-level piece, UTF-16 units of `p.text` otherwise.
   * The returned array may be shared with the cache: do not modify it.
   */
  tokenize(p: Piece): Int32Array {
    return this.tokenizeWord(p.text, p.byteLevel);
  }

  /** `tokenize` for a bare word (raw text needing the byte mapping when `byteLevel`). */
  tokenizeWord(text: string, byteLevel: boolean): Int32Array {
    if (text.length === 0) return EMPTY;
    const cache = byteLevel ? this.cacheRaw : this.cacheText;
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const result = this.tokenizeUncached(text, byteLevel);
    if (text.length <= MAX_CACHED_LENGTH) {
      if (cache.size >= this.cacheCapacity) cache.clear();
      cache.set(text, result);
    }
    return result;
  }

  private tokenizeUncached(text: string, byteLevel: boolean): Int32Array {
    if (this.options.ignoreMerges) {
      const whole = byteLevel ? toByteLevel(text) : text;
      const id = this.vocab.get(whole);
      if (id !== undefined) return Int32Array.of(id, 0, byteLevel ? utf8(text).length : text.length);
    }
    const s = this.syms;
    if (byteLevel && this.byteDirect) this.initBytes(text);
    else this.initChars(byteLevel ? toByteLevel(text) : text);
    if (s.n > SHORT_WORD) mergeLong(s, this.table);
    else mergeShort(s, this.table);
    const out = new Int32Array(s.n * 3);
    for (let i = 0; i < s.n; i++) {
      out[3 * i] = s.ids[i]!;
      out[3 * i + 1] = s.starts[i]!;
      out[3 * i + 2] = s.ends[i]!;
    }
    return out;
  }

  private reserve(n: number): void {
    const s = this.syms;
    if (s.ids.length >= n) return;
    let cap = s.ids.length;
    while (cap < n) cap *= 2;
    s.ids = new Int32Array(cap);
    s.starts = new Int32Array(cap);
    s.ends = new Int32Array(cap);
  }

  /** One symbol per UTF-8 byte, straight from the byte table. */
  private initBytes(text: string): void {
    const s = this.syms;
    if (isAscii(text)) {
      this.reserve(text.length);
      for (let i = 0; i < text.length; i++) {
        s.ids[i] = this.byteIds[text.charCodeAt(i)]!;
        s.starts[i] = i;
        s.ends[i] = i + 1;
      }
      s.n = text.length;
      return;
    }
    const bytes = utf8(text);
    this.reserve(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      s.ids[i] = this.byteIds[bytes[i]!]!;
      s.starts[i] = i;
      s.ends[i] = i + 1;
    }
    s.n = bytes.length;
  }

  /**
   * Hugging Face's `merge_word` over the characters of `word`: prefix/suffix, byte fallback and
   * unknown tokens. Symbol ranges are UTF-16 units of `word` (for a byte-level string, one unit
   * per byte).
   */
  private initChars(word: string): void {
    const s = this.syms;
    const { continuingSubwordPrefix: prefix, endOfWordSuffix: suffix, byteFallback, fuseUnk } = this.options;
    this.reserve(word.length * 4 + 1);
    let n = 0;
    let unkStart = -1;
    let unkEnd = -1;
    const flushUnk = (): void => {
      if (unkStart < 0) return;
      s.ids[n] = this.unkId;
      s.starts[n] = unkStart;
      s.ends[n++] = unkEnd;
      unkStart = -1;
    };
    for (let i = 0; i < word.length; ) {
      const cp = word.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      let piece = word.slice(i, i + units);
      if (i > 0 && prefix) piece = prefix + piece;
      if (i + units === word.length && suffix) piece = piece + suffix;
      const id = this.vocab.get(piece);
      if (id !== undefined) {
        flushUnk();
        s.ids[n] = id;
        s.starts[n] = i;
        s.ends[n++] = i + units;
      } else if (byteFallback && this.fallbackBytes(piece)) {
        flushUnk();
        n = this.pushFallback(piece, n, i, i + units);
      } else if (this.unkId >= 0) {
        if (unkStart >= 0 && fuseUnk) unkEnd = i + units;
        else {
          flushUnk();
          unkStart = i;
          unkEnd = i + units;
        }
      }
      i += units;
    }
    flushUnk();
    s.n = n;
  }

  private fallbackBytes(piece: string): boolean {
    for (const b of utf8(piece)) if (!this.vocab.has(byteToken(b))) return false;
    return true;
  }

  private pushFallback(piece: string, n: number, start: number, end: number): number {
    const s = this.syms;
    for (const b of utf8(piece)) {
      s.ids[n] = this.vocab.get(byteToken(b))!;
      s.starts[n] = start;
      s.ends[n++] = end;
    }
    return n;
  }

  toJSON(): JsonObject {
    const vocab: JsonObject = {};
    const entries = [...this.vocab].sort((a, b) => a[1] - b[1]);
    for (const [tok, id] of entries) vocab[tok] = id;
    return {
      type: 'BPE',
      dropout: null,
      unk_token: this.options.unkToken ?? null,
      continuing_subword_prefix: this.options.continuingSubwordPrefix ?? null,
      end_of_word_suffix: this.options.endOfWordSuffix ?? null,
      fuse_unk: this.options.fuseUnk ?? false,
      byte_fallback: this.options.byteFallback ?? false,
      ignore_merges: this.options.ignoreMerges ?? false,
      vocab,
      merges: this.merges.map(([a, b]) => [a, b]),
    };
  }
}

const EMPTY = new Int32Array(0);

/** `<0x0A>`: Hugging Face's byte-fallback token for a byte. */
export function byteToken(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
}
