// Held-out perplexity of raw texts, counted as the harness's wikitext task counts (words by
// `re.split(r"\s+")`, UTF-8 bytes), plus the per-token figures a language-model trainer reports.
import type { TokenFormerLM } from './lm.js';
import { pyWhitespaceSplitCount, utf8Length } from './pyText.js';

export interface PerplexityReport {
  documents: number;
  tokens: number;
  words: number;
  bytes: number;
  /** Σ log p over every token, nats. */
  loglikelihood: number;
  /** −loglikelihood / tokens. */
  natsPerToken: number;
  tokenPerplexity: number;
  wordPerplexity: number;
  bytePerplexity: number;
  bitsPerByte: number;
}

/** Scores each text whole with the harness's rolling windows (every token once, the first after the prefix token). */
export async function textPerplexity(lm: TokenFormerLM, texts: string[], onProgress?: (done: number) => void): Promise<PerplexityReport> {
  const encoded = texts.map((t) => lm.encode(t));
  const lls = await lm.loglikelihoodRollingTokens(encoded, onProgress);
  return report(
    lls,
    encoded.map((e) => e.length),
    texts.map(pyWhitespaceSplitCount),
    texts.map(utf8Length),
  );
}

/** The same for token documents (an indexed dataset); words and bytes from their decoded text. */
export async function tokenPerplexity(lm: TokenFormerLM, documents: ArrayLike<number>[], onProgress?: (done: number) => void): Promise<PerplexityReport> {
  const lls = await lm.loglikelihoodRollingTokens(documents, onProgress);
  const texts = documents.map((d) => lm.tokenizer.decode(Array.from(d)));
  return report(lls, documents.map((d) => d.length), texts.map(pyWhitespaceSplitCount), texts.map(utf8Length));
}

function report(lls: number[], tokens: number[], words: number[], bytes: number[]): PerplexityReport {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const ll = sum(lls);
  const t = sum(tokens);
  const w = sum(words);
  const b = sum(bytes);
  return {
    documents: lls.length,
    tokens: t,
    words: w,
    bytes: b,
    loglikelihood: ll,
    natsPerToken: -ll / t,
    tokenPerplexity: Math.exp(-ll / t),
    wordPerplexity: Math.exp(-ll / w),
    bytePerplexity: Math.exp(-ll / b),
    bitsPerByte: -ll / b / Math.LN2,
  };
}
