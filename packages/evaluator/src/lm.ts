// The harness's model interface (lm_eval/api/model.py, models/huggingface.py 0.4.9) for a
// TokenFormer and its tokenizer: loglikelihood(context, continuation), loglikelihood_rolling(text)
// and generate_until, batched with requests sorted longest first (as the harness sorts them).
import * as tf from '@tensorflow/tfjs-core';
import type { TokenFormer } from '@tokenformer/model';
import type { Tokenizer } from '@tokenformer/tokenizer';
import { EvaluatorError } from './errors.js';
import { loadFromUrl, type LoadOptions } from './load.js';
import { pyRstrip } from './pyText.js';
import { generateFromText, type TextGeneration, type TextGenerationOptions } from './textGeneration.js';
import { rollingWindows, type TokenWindow } from './windows.js';

export interface LoglikelihoodRequest {
  context: string;
  continuation: string;
}

export interface LoglikelihoodResult {
  /** Σ log p(continuation token | everything before it), natural log. */
  logprob: number;
  /** Every continuation token is the argmax at its position. */
  isGreedy: boolean;
}

export interface GenerateRequest {
  context: string;
  /** Generation stops before the first of these strings. */
  until: string[];
  maxGenToks: number;
}

/** What a task needs from a model: the harness's three request types. */
export interface LanguageModel {
  loglikelihood(requests: LoglikelihoodRequest[], onProgress?: (done: number) => void): Promise<LoglikelihoodResult[]>;
  loglikelihoodRolling(texts: string[], onProgress?: (done: number) => void): Promise<number[]>;
  generateUntil(requests: GenerateRequest[], onProgress?: (done: number) => void): Promise<string[]>;
}

export interface TokenFormerLMOptions {
  /** Longest input the model reads; longer inputs lose tokens on the left (default: the model's maxSeqLen). */
  maxLength?: number;
  /** Requests scored per forward pass (default 8); results do not depend on it. */
  batchSize?: number;
  /** The token an empty context (and the first rolling window) starts from; default `<|endoftext|>`. */
  prefixTokenId?: number;
}

/** How well the model predicts one text: every token scored once, with the rolling windows. */
export interface TextScore {
  tokens: number;
  /** Σ log p over the text's tokens (natural log). */
  logprob: number;
  natsPerToken: number;
  perplexity: number;
}

/** A pair of token lists scored together: log p(continuation | context). */
export interface TokenRequest {
  context: number[];
  continuation: number[];
}

export class TokenFormerLM implements LanguageModel {
  readonly maxLength: number;
  readonly batchSize: number;
  readonly prefixTokenId: number;

  constructor(readonly model: TokenFormer, readonly tokenizer: Tokenizer, options: TokenFormerLMOptions = {}) {
    this.maxLength = options.maxLength ?? model.config.maxSeqLen;
    this.batchSize = options.batchSize ?? 8;
    const prefix = options.prefixTokenId ?? tokenizer.tokenToId('<|endoftext|>');
    if (prefix === undefined) throw new EvaluatorError('the tokenizer has no <|endoftext|>: pass prefixTokenId');
    this.prefixTokenId = prefix;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 1 || this.maxLength > model.config.maxSeqLen) {
      throw new EvaluatorError(`maxLength ${this.maxLength} must be an integer in [1, ${model.config.maxSeqLen}] (the model's maxSeqLen)`);
    }
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new EvaluatorError(`batchSize ${this.batchSize} must be an integer >= 1`);
  }

  /**
   * A checkpoint directory by URL (config.json, model.safetensors and tokenizer.json), in a browser
   * relative to the page. In Node, `TokenFormerLM` from `@tokenformer/evaluator/node` also takes a
   * local checkpoint or run directory.
   */
  static async load(source: string, options: LoadOptions & TokenFormerLMOptions = {}): Promise<TokenFormerLM> {
    const { model, tokenizer } = await loadFromUrl(source, options);
    return new TokenFormerLM(model, tokenizer, options);
  }

  /**
   * Text after `prompt`, with the generation options of the CLIs and the page (maxNewTokens,
   * temperature, topK, topP, seed, stop) and streaming (`onText`, `onToken`).
   */
  generate(prompt: string, options: TextGenerationOptions = {}): Promise<TextGeneration> {
    return generateFromText(this.model, this.tokenizer, prompt, options);
  }

  /** Each text's log-likelihood and perplexity (whole, with the harness's rolling windows). */
  async score(texts: string[]): Promise<TextScore[]> {
    const encoded = texts.map((t) => this.encode(t));
    const empty = encoded.findIndex((e) => e.length === 0);
    if (empty >= 0) throw new EvaluatorError(`score: text ${empty} has no tokens`);
    const lls = await this.loglikelihoodRollingTokens(encoded);
    return lls.map((logprob, i) => {
      const tokens = encoded[i]!.length;
      return { tokens, logprob, natsPerToken: -logprob / tokens, perplexity: Math.exp(-logprob / tokens) };
    });
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.model.dispose();
  }

  /** The tokenizer without special tokens, as the harness's `tok_encode` for causal models. */
  encode(text: string): number[] {
    return this.tokenizer.encodeIds(text, { addSpecialTokens: false });
  }

  /**
   * The harness's `_encode_pair`: trailing whitespace of the context moves into the continuation,
   * the whole string is encoded once, and the continuation is what follows the context's token count.
   * `encodeContext` encodes the context (a memo shares it among a document's choices).
   */
  encodePair(context: string, continuation: string, encodeContext: (text: string) => number[] = (t) => this.encode(t)): TokenRequest {
    const trimmed = pyRstrip(context);
    const spaces = context.length - trimmed.length;
    if (spaces > 0) {
      continuation = context.slice(-spaces) + continuation;
      context = trimmed;
    }
    const whole = this.encode(context + continuation);
    const contextEnc = encodeContext(context);
    return { context: contextEnc, continuation: whole.slice(contextEnc.length) };
  }

  async loglikelihood(requests: LoglikelihoodRequest[], onProgress?: (done: number) => void): Promise<LoglikelihoodResult[]> {
    // a multiple-choice document's choices share its context: it is encoded once
    const contexts = new Map<string, number[]>();
    const encodeContext = (text: string): number[] => {
      let ids = contexts.get(text);
      if (!ids) contexts.set(text, (ids = this.encode(text)));
      return ids;
    };
    const encoded = requests.map(({ context, continuation }) =>
      context === '' ? { context: [this.prefixTokenId], continuation: this.encode(continuation) } : this.encodePair(context, continuation, encodeContext),
    );
    return this.loglikelihoodTokens(encoded, onProgress);
  }

  async loglikelihoodRolling(texts: string[], onProgress?: (done: number) => void): Promise<number[]> {
    return this.loglikelihoodRollingTokens(texts.map((t) => this.encode(t)), onProgress);
  }

  /** Rolling log-likelihood of token lists (e.g. an indexed dataset's documents): Σ over every token. */
  async loglikelihoodRollingTokens(documents: ArrayLike<number>[], onProgress?: (done: number) => void): Promise<number[]> {
    const owners: number[] = [];
    const windows: TokenWindow[] = [];
    documents.forEach((tokens, i) => {
      for (const w of rollingWindows(Array.from(tokens), this.prefixTokenId, this.maxLength)) {
        windows.push(w);
        owners.push(i);
      }
    });
    const sums = new Array<number>(documents.length).fill(0);
    const scored = await this.loglikelihoodTokens(windows, (n) => onProgress?.(Math.floor((n / Math.max(1, windows.length)) * documents.length)));
    scored.forEach((r, i) => (sums[owners[i]!]! += r.logprob));
    return sums;
  }

  async generateUntil(requests: GenerateRequest[], onProgress?: (done: number) => void): Promise<string[]> {
    const out: string[] = [];
    for (const { context, until, maxGenToks } of requests) {
      const budget = Math.max(1, this.maxLength - maxGenToks);
      const prompt = this.encode(context).slice(-budget);
      const ids = await this.model.generate(prompt.length > 0 ? prompt : [this.prefixTokenId], { maxNewTokens: maxGenToks, temperature: 0 });
      let text = this.tokenizer.decode(ids);
      for (const stop of until) {
        const at = stop === '' ? -1 : text.indexOf(stop);
        if (at >= 0) text = text.slice(0, at);
      }
      out.push(text);
      onProgress?.(out.length);
    }
    return out;
  }

  /**
   * The harness's `_loglikelihood_tokens`: requests sorted longest first, inputs truncated on the
   * left to maxLength + 1 tokens minus the last, right-padded in a batch; the continuation's
   * log-probabilities summed and compared with the argmax.
   */
  async loglikelihoodTokens(requests: TokenRequest[], onProgress?: (done: number) => void): Promise<LoglikelihoodResult[]> {
    for (const [i, r] of requests.entries()) {
      if (r.context.length === 0 || r.continuation.length === 0) throw new EvaluatorError(`request ${i}: context and continuation must each have at least one token`);
      if (r.continuation.length > this.maxLength) throw new EvaluatorError(`request ${i}: a continuation of ${r.continuation.length} tokens exceeds maxLength ${this.maxLength}`);
    }
    const tokens = requests.map((r) => [...r.context, ...r.continuation]);
    const order = requests.map((_, i) => i).sort((a, b) => {
      const ta = tokens[a]!;
      const tb = tokens[b]!;
      if (ta.length !== tb.length) return tb.length - ta.length;
      for (let k = 0; k < ta.length; k++) if (ta[k] !== tb[k]) return ta[k]! - tb[k]!;
      return 0;
    });
    const results = new Array<LoglikelihoodResult>(requests.length);
    let done = 0;
    for (let start = 0; start < order.length; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize);
      const scored = await this.scoreBatch(batch.map((i) => requests[i]!));
      batch.forEach((i, k) => (results[i] = scored[k]!));
      done += batch.length;
      onProgress?.(done);
    }
    return results;
  }

  private async scoreBatch(batch: TokenRequest[]): Promise<LoglikelihoodResult[]> {
    const inputs = batch.map((r) => [...r.context, ...r.continuation].slice(-(this.maxLength + 1)).slice(0, -1));
    const width = Math.max(...inputs.map((x) => x.length));
    const padded = inputs.map((x) => [...x, ...new Array<number>(width - x.length).fill(0)]);
    // Row of each continuation token in the flattened [B·T] logits, and its target id.
    const rows: number[] = [];
    const targets: number[] = [];
    batch.forEach((r, b) => {
      const n = r.continuation.length;
      for (let k = 0; k < n; k++) {
        rows.push(b * width + inputs[b]!.length - n + k);
        targets.push(r.continuation[k]!);
      }
    });
    const [logprobs, argmaxes] = tf.tidy(() => {
      const logits = this.model.forward(padded); // [B, T, V]
      const vocab = logits.shape[2]!;
      const picked = tf.gather(tf.reshape(logits, [-1, vocab]), tf.tensor1d(rows, 'int32')); // [N, V]
      const lse = tf.logSumExp(picked, -1); // [N]
      const target = tf.sum(tf.mul(picked, tf.oneHot(tf.tensor1d(targets, 'int32'), vocab)), -1); // [N]
      return [tf.sub(target, lse), tf.argMax(picked, -1)] as const;
    });
    const lp = await logprobs.data();
    const am = await argmaxes.data();
    tf.dispose([logprobs, argmaxes]);
    const out: LoglikelihoodResult[] = [];
    let at = 0;
    for (const r of batch) {
      let logprob = 0;
      let isGreedy = true;
      for (let k = 0; k < r.continuation.length; k++, at++) {
        logprob += lp[at]!;
        if (am[at] !== targets[at]) isGreedy = false;
      }
      out.push({ logprob, isGreedy });
    }
    return out;
  }
}
