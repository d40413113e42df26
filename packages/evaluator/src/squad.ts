// SQuAD's answer normalisation, exact match and token F1 (transformers' squad_metrics, as ReCoRD's
// process_results calls them), each the maximum over the gold answers.
import { pySplit } from './pyText.js';

/** Python's string.punctuation. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** Lower case, no punctuation, no articles (a, an, the as whole words), single spaces. */
export function normalizeAnswer(s: string): string {
  const lower = s.toLowerCase();
  const noPunc = [...lower].filter((c) => !PUNCTUATION.has(c)).join('');
  const noArticles = noPunc.replace(/(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu, ' ');
  return pySplit(noArticles).join(' ');
}

function tokens(s: string): string[] {
  const n = normalizeAnswer(s);
  return n === '' ? [] : n.split(' ');
}

/** `compute_exact`: 1 when the normalised strings are equal. */
export function exactMatch(gold: string, pred: string): number {
  return normalizeAnswer(gold) === normalizeAnswer(pred) ? 1 : 0;
}

/** `compute_f1`: token-overlap F1 of the normalised strings (1/0 by equality when either is empty). */
export function tokenF1(gold: string, pred: string): number {
  const g = tokens(gold);
  const p = tokens(pred);
  if (g.length === 0 || p.length === 0) return g.length === p.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The harness's `metric_max_over_ground_truths`. */
export function maxOverGold(metric: (gold: string, pred: string) => number, pred: string, golds: readonly string[]): number {
  return Math.max(...golds.map((g) => metric(g, pred)));
}
