// The harness's rolling windows for perplexity (lm_eval/utils.py get_rolling_token_windows with
// context_len 1, then make_disjoint_window): the first window predicts up to maxLength tokens after
// a prefix token; each later one predicts the next maxLength tokens, conditioned on the token before.

export interface TokenWindow {
  /** Tokens the model reads before the scored ones (never empty). */
  context: number[];
  /** Tokens scored. */
  continuation: number[];
}

/** Windows covering every token of `tokens` exactly once (none for an empty list). */
export function rollingWindows(tokens: readonly number[], prefixToken: number, maxLength: number): TokenWindow[] {
  const windows: TokenWindow[] = [];
  if (tokens.length === 0) return windows;
  const predLen = maxLength; // max_seq_len - context_len + 1 with context_len 1
  const first = Math.min(maxLength, tokens.length);
  windows.push(disjoint([prefixToken, ...tokens.slice(0, first - 1)], tokens.slice(0, first)));
  let predicted = first;
  while (predicted < tokens.length) {
    const windowPredLen = Math.min(tokens.length - predicted, predLen);
    const end = predicted + windowPredLen;
    windows.push(disjoint(pySlice(tokens, end - maxLength - 1, end - 1), tokens.slice(end - windowPredLen, end)));
    predicted += windowPredLen;
  }
  return windows;
}

/** Python's `xs[a:b]` for possibly negative a. */
function pySlice(xs: readonly number[], a: number, b: number): number[] {
  const start = a < 0 ? Math.max(0, xs.length + a) : a;
  return xs.slice(start, b);
}

/** make_disjoint_window: the context loses the tokens it shares with the continuation. */
function disjoint(context: number[], continuation: number[]): TokenWindow {
  return { context: context.slice(0, context.length - (continuation.length - 1)), continuation };
}
