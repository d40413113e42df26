// Picking the next token from one row of logits: greedy, temperature, top-k, top-p (nucleus),
// with Hugging Face's semantics (top-k keeps ties with the k-th value; top-p keeps the smallest
// prefix of tokens by probability whose mass reaches p, at least one token).

export interface SamplingOptions {
  /** 0 = greedy (argmax, lowest id on ties); > 0 divides the logits. */
  temperature: number;
  /** Keep only the k most likely tokens; 0 = off. */
  topK: number;
  /** Keep the most likely tokens whose cumulative probability reaches p; 1 = off. */
  topP: number;
}

export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Draws from softmax(logits / T) over every id, in id order (no sort needed without top-k/top-p). */
function sampleAll(logits: ArrayLike<number>, temperature: number, rand: () => number): number {
  const max = logits[argmax(logits)]! / temperature;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += weights[i] = Math.exp(logits[i]! / temperature - max);
  let r = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return argmax(logits);
}

/** Draws one id from `logits` [V] with `rand` uniform in [0, 1). */
export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rand: () => number): number {
  if (options.temperature === 0) return argmax(logits);
  const V = logits.length;
  if ((options.topK === 0 || options.topK >= V) && options.topP >= 1) return sampleAll(logits, options.temperature, rand);
  let order = Array.from({ length: V }, (_, i) => i);
  order.sort((a, b) => logits[b]! - logits[a]! || a - b);
  if (options.topK > 0 && options.topK < V) {
    const kth = logits[order[options.topK - 1]!]!;
    order = order.filter((i) => logits[i]! >= kth);
  }
  const max = logits[order[0]!]! / options.temperature;
  const weights = order.map((i) => Math.exp(logits[i]! / options.temperature - max));
  const total = weights.reduce((s, w) => s + w, 0);
  let kept = order.length;
  if (options.topP < 1) {
    let cumulative = 0;
    for (let j = 0; j < order.length; j++) {
      cumulative += weights[j]! / total;
      if (cumulative >= options.topP) {
        kept = j + 1;
        break;
      }
    }
  }
  const keptTotal = weights.slice(0, kept).reduce((s, w) => s + w, 0);
  let r = rand() * keptTotal;
  for (let j = 0; j < kept; j++) {
    r -= weights[j]!;
    if (r < 0) return order[j]!;
  }
  return order[kept - 1]!;
}
