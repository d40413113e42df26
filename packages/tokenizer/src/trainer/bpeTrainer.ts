// Byte-level BPE training, the algorithm of Hugging Face's `BpeTrainer`: count words, start from
// an alphabet of characters, then repeatedly merge the most frequent adjacent pair (the smallest
// pair among equal counts), updating pair counts incrementally in the words that change. Given the
// same word counts and options it produces the same vocabulary and merges, in the same order.
import { byteLevelAlphabet } from '../byteAlphabet.js';
import { ByteLevelDecoder } from '../decoders/index.js';
import { TokenizerInputError } from '../errors.js';
import { BPE } from '../models/bpe.js';
import type { Normalizer } from '../normalizers/index.js';
import { ByteLevelPreTokenizer, type PreTokenizer } from '../preTokenizers/index.js';
import { ByteLevelProcessor } from '../processors/index.js';
import { Tokenizer } from '../tokenizer.js';
import { MergeQueue } from './heap.js';
import { WordCounts } from './wordCounts.js';

export interface BpeTrainerOptions {
  /** Final vocabulary size, special tokens and alphabet included. Default 30,000. */
  vocabSize?: number;
  /** A pair must occur at least this often to be merged. Default 0 (as Hugging Face). */
  minFrequency?: number;
  /** Special tokens: ids 0, 1, ... in this order, matched whole in text (never split). */
  specialTokens?: string[];
  /**
   * Characters always in the vocabulary. Default: GPT-2's 256-character byte alphabet, so that
   * every input can be encoded. Pass [] for Hugging Face's default (only characters seen).
   */
  initialAlphabet?: string[];
  /** Keep at most this many alphabet characters (the most frequent). Default: no limit. */
  limitAlphabet?: number;
  /** Longest token, in characters of the alphabet. Default: no limit. */
  maxTokenLength?: number;
  /** Most distinct words kept while counting (bounded memory); past it, the rarest are dropped. Default 4,000,000. */
  maxWords?: number;
  /** Called every 1,000 merges and at the end. */
  onProgress?: (merges: number, vocabSize: number) => void;
  /** The normalizer text goes through before counting (and in the trained tokenizer). Default none. */
  normalizer?: Normalizer | null;
  /** The pre-tokenizer. Default ByteLevel (GPT-2 regex, no prefix space). */
  preTokenizer?: PreTokenizer;
}

/** Pair keys: left id · 2^21 + right id (ids below 2^21). */
const SHIFT = 2 ** 21;
export const MAX_TRAINED_VOCAB = SHIFT;

export class BpeTrainer {
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly specialTokens: string[];
  private readonly counts: WordCounts;
  private readonly preTokenizer: PreTokenizer;
  private readonly normalizer: Normalizer | null;

  constructor(readonly options: BpeTrainerOptions = {}) {
    this.vocabSize = options.vocabSize ?? 30000;
    this.minFrequency = options.minFrequency ?? 0;
    this.specialTokens = options.specialTokens ?? [];
    const check = (name: string, v: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void => {
      if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) {
        throw new TokenizerInputError(`BpeTrainer: ${name} = ${v} must be an integer in [${min}, ${max}]`);
      }
    };
    check('vocabSize', this.vocabSize, 1, MAX_TRAINED_VOCAB - 1);
    check('minFrequency', this.minFrequency, 0);
    check('limitAlphabet', options.limitAlphabet, 0);
    check('maxTokenLength', options.maxTokenLength, 1);
    check('maxWords', options.maxWords, 1);
    this.preTokenizer = options.preTokenizer ?? new ByteLevelPreTokenizer({ addPrefixSpace: false, trimOffsets: true, useRegex: true });
    this.normalizer = options.normalizer ?? null;
    this.counts = new WordCounts(this.normalizer, this.preTokenizer, options.maxWords ?? 4_000_000, this.specialTokens);
  }

  /** Count one sequence of training text (a line or a document). Call as often as needed. */
  feed(text: string): void {
    this.counts.feed(text);
  }

  /** Distinct words counted so far, and how many were dropped to bound memory. */
  get stats(): { words: number; dropped: number; chars: number } {
    return { words: this.counts.size, dropped: this.counts.dropped, chars: this.counts.chars };
  }

  /** The words counted so far, in the model's alphabet (byte-level strings), with their counts. */
  wordCounts(): Map<string, number> {
    return this.counts.words();
  }

  /** Learn the vocabulary and merges; returns the trained tokenizer. */
  train(): Tokenizer {
    const { vocab, merges } = this.learn(this.counts.words());
    const model = new BPE(vocab, merges, {}, 'trained model');
    return new Tokenizer({
      model,
      normalizer: this.normalizer,
      preTokenizer: this.preTokenizer,
      postProcessor: new ByteLevelProcessor(true, false, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }),
      decoder: new ByteLevelDecoder({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }),
      addedTokens: this.specialTokens.map((content) => ({
        id: vocab.get(content)!,
        content,
        singleWord: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
    });
  }

  /** The training proper, on word counts (words already in the model's alphabet). */
  learn(wordCounts: Map<string, number>): { vocab: Map<string, number>; merges: [string, string][] } {
    const w2id = new Map<string, number>();
    const id2w: string[] = [];
    const addToken = (t: string): number => {
      let id = w2id.get(t);
      if (id === undefined) {
        id = id2w.length;
        id2w.push(t);
        w2id.set(t, id);
      }
      return id;
    };
    for (const t of this.specialTokens) addToken(t);
    this.computeAlphabet(wordCounts, addToken);

    // words as symbol ids (characters outside the alphabet are left out, as Hugging Face does)
    const maxLen = this.options.maxTokenLength ?? Number.MAX_SAFE_INTEGER;
    const words: number[][] = [];
    const lens: number[][] = [];
    const counts: number[] = [];
    for (const [word, count] of wordCounts) {
      const ids: number[] = [];
      for (const ch of word) {
        const id = w2id.get(ch);
        if (id !== undefined) ids.push(id);
      }
      words.push(ids);
      lens.push(ids.map(() => 1));
      counts.push(count);
    }

    const pairCounts = new Map<number, number>();
    let whereToUpdate = new Map<number, Set<number>>();
    words.forEach((w, i) => {
      for (let k = 0; k + 1 < w.length; k++) {
        const key = w[k]! * SHIFT + w[k + 1]!;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + counts[i]!);
        let s = whereToUpdate.get(key);
        if (!s) whereToUpdate.set(key, (s = new Set()));
        s.add(i);
      }
    });
    const queue = new MergeQueue();
    const flush = (): void => {
      for (const [key, pos] of whereToUpdate) {
        const count = pairCounts.get(key)!;
        if (count > 0) queue.push({ key, count, pos });
      }
      whereToUpdate = new Map();
    };
    flush();

    const merges: [string, string][] = [];
    while (w2id.size < this.vocabSize) {
      const top = queue.pop();
      if (top === undefined) break;
      const current = pairCounts.get(top.key)!;
      if (top.count !== current) {
        top.count = current;
        queue.push(top);
        continue;
      }
      if (top.count < 1 || this.minFrequency > top.count) break;
      const a = Math.floor(top.key / SHIFT);
      const b = top.key - a * SHIFT;
      const newId = addToken(id2w[a]! + id2w[b]!);
      merges.push([id2w[a]!, id2w[b]!]);
      for (const i of top.pos) {
        mergeWord(words[i]!, lens[i]!, a, b, newId, maxLen, (key, change) => {
          pairCounts.set(key, (pairCounts.get(key) ?? 0) + change * counts[i]!);
          if (change > 0) {
            let s = whereToUpdate.get(key);
            if (!s) whereToUpdate.set(key, (s = new Set()));
            s.add(i);
          }
        });
      }
      flush();
      if (merges.length % 1000 === 0) this.options.onProgress?.(merges.length, w2id.size);
    }
    this.options.onProgress?.(merges.length, w2id.size);
    return { vocab: w2id, merges };
  }

  private computeAlphabet(wordCounts: Map<string, number>, addToken: (t: string) => number): void {
    const alphabet = new Map<string, number>();
    for (const [word, count] of wordCounts) for (const ch of word) alphabet.set(ch, (alphabet.get(ch) ?? 0) + count);
    for (const ch of this.options.initialAlphabet ?? byteLevelAlphabet()) alphabet.set(ch, Number.MAX_SAFE_INTEGER);
    let kept = [...alphabet];
    const limit = this.options.limitAlphabet;
    if (limit !== undefined && kept.length > limit) {
      kept.sort((x, y) => x[1] - y[1]);
      kept = kept.slice(kept.length - limit);
    }
    kept.sort((x, y) => x[0].codePointAt(0)! - y[0].codePointAt(0)!);
    for (const [ch] of kept) addToken(ch);
  }
}

/**
 * Merge every (a, b) in a word, left to right, reporting each pair-count change as Hugging Face's
 * `Word::merge` does (the merged pair itself is not reported; its neighbours are).
 */
export function mergeWord(
  ids: number[],
  lens: number[],
  a: number,
  b: number,
  replacement: number,
  maxLength: number,
  change: (key: number, delta: number) => void,
): void {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== a || i + 1 >= ids.length || ids[i + 1] !== b) continue;
    const newLen = lens[i]! + lens[i + 1]!;
    if (i > 0) {
      change(ids[i - 1]! * SHIFT + a, -1);
      if (lens[i - 1]! + newLen < maxLength) change(ids[i - 1]! * SHIFT + replacement, 1);
    }
    ids.splice(i, 2, replacement);
    lens.splice(i, 2, newLen);
    if (i < ids.length - 1) {
      change(b * SHIFT + ids[i + 1]!, -1);
      if (lens[i + 1]! + newLen < maxLength) change(replacement * SHIFT + ids[i + 1]!, 1);
    }
  }
}
