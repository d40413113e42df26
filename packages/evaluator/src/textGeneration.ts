// Text in, text out: a prompt encoded with the model's tokenizer, generated with the shared
// generation settings (the CLIs' and the page's), streamed as decoded text, and per-text scores.
// What `tokenformer generate`, the web page and TokenFormerLM.generate all run.
import { type GenerationSettings, type TokenFormer } from '@tokenformer/model';
import { DecodeStream, type Tokenizer } from '@tokenformer/tokenizer';
import { EvaluatorError } from './errors.js';

export interface TextGenerationOptions extends Partial<GenerationSettings> {
  /**
   * Tokens (as strings, each one vocabulary entry) that end generation; the stop token is not
   * returned. Default: `<|endoftext|>` when the vocabulary has it.
   */
  stop?: readonly string[];
  /** Called with each piece of decoded text as soon as it is complete (UTF-8 safe); the pieces add up to the returned text. */
  onText?: (piece: string) => void;
  /** Called with each new id. */
  onToken?: (id: number) => void;
}

export interface TextGeneration {
  /** The generated text (after the prompt). */
  text: string;
  /** The generated ids (after the prompt's). */
  ids: number[];
  /** The prompt's ids. */
  promptIds: number[];
}

/** Ids of the stop tokens, each checked against the vocabulary. */
export function stopIds(tokenizer: Tokenizer, stop: readonly string[] | undefined): number[] {
  if (stop === undefined) {
    const eod = tokenizer.tokenToId('<|endoftext|>');
    return eod === undefined ? [] : [eod];
  }
  return stop.map((token) => {
    const id = tokenizer.tokenToId(token);
    if (id === undefined) throw new EvaluatorError(`stop token ${JSON.stringify(token)} is not in the vocabulary (give single tokens)`);
    return id;
  });
}

/**
 * Generates after `prompt` (text). The prompt is encoded without special tokens; generation stops
 * at a stop token, after maxNewTokens (API default 32), or at the model's maxSeqLen.
 */
export async function generateFromText(model: TokenFormer, tokenizer: Tokenizer, prompt: string, options: TextGenerationOptions = {}): Promise<TextGeneration> {
  const promptIds = tokenizer.encodeIds(prompt, { addSpecialTokens: false });
  if (promptIds.length === 0) throw new EvaluatorError('the prompt is empty: give some text');
  if (promptIds.length >= model.config.maxSeqLen) throw new EvaluatorError(`the prompt has ${promptIds.length} tokens, the model reads at most ${model.config.maxSeqLen}`);
  const stream = new DecodeStream(tokenizer);
  const { stop, onText, onToken, ...settings } = options;
  let streamed = '';
  const ids = await model.generate(promptIds, {
    ...settings,
    maxNewTokens: Math.min(settings.maxNewTokens ?? 32, model.config.maxSeqLen - promptIds.length),
    stop: stopIds(tokenizer, stop),
    onToken: (id) => {
      onToken?.(id);
      const piece = stream.step(id);
      if (piece !== undefined) {
        streamed += piece;
        onText?.(piece);
      }
    },
  });
  const text = tokenizer.decode(ids);
  // the stream holds back an incomplete UTF-8 sequence at the end; what it held is decoded as the
  // whole text decodes it (U+FFFD), so the streamed pieces always add up to `text`
  if (text.length > streamed.length && text.startsWith(streamed)) onText?.(text.slice(streamed.length));
  return { text, ids, promptIds };
}
