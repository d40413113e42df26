// A LAMBADA-style cloze task built from held-out text: passages that end a sentence, the last word
// to be predicted from everything before it. Rows are in lambada_openai's format ({"text": ...}),
// so the lambada_openai task scores them (accuracy of the greedy word, perplexity of the word).
export interface ClozeOptions {
  /** Most passages to build (default 200). */
  maxItems?: number;
  /** Words of context before the target (default 48; the passage may start mid-sentence). */
  contextWords?: number;
  /** Shortest target word in letters (default 3). */
  minTargetLetters?: number;
}

/** Passages `{ text }` whose last space-separated word is the target (its final punctuation removed). */
export function buildCloze(texts: string[], options: ClozeOptions = {}): { text: string }[] {
  const maxItems = options.maxItems ?? 200;
  const contextWords = options.contextWords ?? 48;
  const minLetters = options.minTargetLetters ?? 3;
  const rows: { text: string }[] = [];
  for (const text of texts) {
    const words = text.split(/\s+/u).filter((w) => w.length > 0);
    for (let i = contextWords; i < words.length && rows.length < maxItems; i++) {
      const match = /^(\p{L}+)[.!?]$/u.exec(words[i]!);
      if (!match || match[1]!.length < minLetters) continue;
      rows.push({ text: [...words.slice(i - contextWords, i), match[1]!].join(' ') });
      i += contextWords; // passages do not overlap
    }
    if (rows.length >= maxItems) break;
  }
  return rows;
}
