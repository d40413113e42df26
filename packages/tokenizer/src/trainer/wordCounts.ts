// Word counting for the BPE trainer: text is normalized and pre-tokenized as it will be encoded,
// and each distinct word counted. Memory is bounded by `maxWords` distinct words: past it, the
// rarest words are dropped (the counts are then approximate, and the trainer says so).
import { AddedVocabulary } from '../addedVocabulary.js';
import { toByteLevel } from '../byteAlphabet.js';
import type { Normalizer } from '../normalizers/index.js';
import type { Piece } from '../piece.js';
import type { PreTokenizer } from '../preTokenizers/index.js';
import { ByteLevelPreTokenizer } from '../preTokenizers/index.js';
import { wellFormed } from '../tokenizer.js';

export class WordCounts {
  /** Distinct word -> count, for words that still need the byte-level mapping (the usual case). */
  readonly raw = new Map<string, number>();
  /** Distinct word -> count, for words already in the model's alphabet. */
  readonly final = new Map<string, number>();
  /** Words whose count was dropped to stay under `maxWords` (0 means the counts are exact). */
  dropped = 0;
  /** Characters fed so far. */
  chars = 0;
  private readonly added: AddedVocabulary;

  constructor(
    private readonly normalizer: Normalizer | null,
    private readonly preTokenizer: PreTokenizer | null,
    private readonly maxWords: number,
    specialTokens: string[],
  ) {
    // special tokens in the training text are not words: they are cut out, as Hugging Face does
    this.added = new AddedVocabulary(
      specialTokens.map((content, id) => ({ id, content, singleWord: false, lstrip: false, rstrip: false, normalized: false, special: true })),
      normalizer,
    );
  }

  /** Count the words of one sequence (a line, a document). */
  feed(text: string): void {
    this.chars += text.length;
    const words: Piece[] = [];
    const byteLevel = this.preTokenizer instanceof ByteLevelPreTokenizer ? this.preTokenizer : null;
    for (const p of this.added.extractAndNormalize(wellFormed(text), this.normalizer, false)) {
      if (p.addedId >= 0) continue;
      if (byteLevel) {
        byteLevel.forEachWordOf(p.text, (t, start, end) => this.add(this.raw, t.slice(start, end)));
        continue;
      }
      words.length = 0;
      if (this.preTokenizer) this.preTokenizer.preTokenize(p, words);
      else if (p.text) words.push(p);
      for (const w of words) this.add(w.byteLevel ? this.raw : this.final, w.text);
    }
  }

  get size(): number {
    return this.raw.size + this.final.size;
  }

  /** Every word in the model's alphabet with its count (raw words byte-mapped, counts merged). */
  words(): Map<string, number> {
    const out = new Map(this.final);
    for (const [w, c] of this.raw) {
      const k = toByteLevel(w);
      out.set(k, (out.get(k) ?? 0) + c);
    }
    return out;
  }

  private add(map: Map<string, number>, word: string): void {
    map.set(word, (map.get(word) ?? 0) + 1);
    if (this.size > this.maxWords) this.prune();
  }

  /** Drop the rarest words until at most 3/4 of `maxWords` remain. */
  private prune(): void {
    const target = Math.floor(this.maxWords * 0.75);
    for (let threshold = 1; this.size > target; threshold *= 2) {
      for (const map of [this.raw, this.final]) {
        for (const [w, c] of map) {
          if (c <= threshold) {
            map.delete(w);
            this.dropped++;
          }
        }
      }
    }
  }
}
