// The harness's aggregations and standard errors (lm_eval/api/metrics.py, 0.4.9): plain sequential
// sums as Python's `sum` before 3.12, Bessel-corrected sample deviation, and the bootstrap with
// Python's random number generator, chunks of 1,000 resamples seeded 0, 1, 2, ...
import { PyRandom } from './pyRandom.js';

/** `(loglikelihood, weight)` pairs of the weighted aggregations (words or bytes). */
export type Weighted = readonly [number, number];

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function sampleStddev(xs: readonly number[]): number {
  const mu = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - mu) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Standard error of a mean (acc, acc_norm): sample deviation / √n. */
export function meanStderr(xs: readonly number[]): number {
  return sampleStddev(xs) / Math.sqrt(xs.length);
}

/** exp(−mean log-likelihood): LAMBADA's perplexity. */
export function perplexity(lls: readonly number[]): number {
  return Math.exp(-mean(lls));
}

function weightedMean(items: readonly Weighted[]): number {
  let a = 0;
  let b = 0;
  for (const [ll] of items) a += ll;
  for (const [, w] of items) b += w;
  return a / b;
}

/** exp(−Σ ll / Σ weight): word or byte perplexity. */
export function weightedPerplexity(items: readonly Weighted[]): number {
  return Math.exp(-weightedMean(items));
}

/** −Σ ll / Σ bytes / ln 2. */
export function bitsPerByte(items: readonly Weighted[]): number {
  return -weightedMean(items) / Math.log(2);
}

/**
 * The harness's bootstrap estimate of a statistic's standard error: `iters` resamples (with
 * replacement) in chunks of min(1000, iters), chunk i drawn by `random.Random(i)`; the sample
 * deviation of the statistic over all resamples.
 */
export function bootstrapStderr<T>(f: (xs: T[]) => number, xs: readonly T[], iters: number): number {
  const chunk = Math.min(1000, iters);
  const results: number[] = [];
  for (let i = 0; i < Math.floor(iters / chunk); i++) {
    const rnd = new PyRandom(i);
    for (let j = 0; j < chunk; j++) results.push(f(rnd.choices(xs, xs.length)));
  }
  return sampleStddev(results);
}
