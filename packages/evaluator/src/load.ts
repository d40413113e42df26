// A checkpoint directory by URL (config.json, model.safetensors, tokenizer.json beside them, as
// DESIGN.md's checkpoint contract has it): the model and its tokenizer, checked against each other.
// Browser-safe; local paths are read by `@tokenformer/evaluator/node`.
import { checkTokenizerFits, loadCheckpointFromUrl, type TokenFormer } from '@tokenformer/model';
import { Tokenizer } from '@tokenformer/tokenizer';
import { EvaluatorError } from './errors.js';

export interface LoadOptions {
  /** tokenizer.json's URL (or, from `/node`, path). Default: tokenizer.json in the checkpoint directory. */
  tokenizer?: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** True for an absolute URL with a scheme (http:, https:, blob:, data:, file:, ...). */
export function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^(blob|data):/i.test(source);
}

/** `source` as an absolute URL ending in `/`: relative ones against the page's address. */
function directoryUrl(source: string): URL {
  const dir = source.endsWith('/') ? source : `${source}/`;
  const page = (globalThis as { location?: { href: string } }).location?.href;
  if (!isUrl(dir) && page === undefined) {
    throw new EvaluatorError(`${source} is not a URL: in Node, load a local checkpoint directory with TokenFormerLM from '@tokenformer/evaluator/node'`);
  }
  return new URL(dir, page);
}

/** The model and tokenizer of a checkpoint directory URL. */
export async function loadFromUrl(source: string, options: LoadOptions = {}): Promise<{ model: TokenFormer; tokenizer: Tokenizer }> {
  const fetchImpl = options.fetch ?? fetch;
  const base = directoryUrl(source);
  const tokenizerUrl = options.tokenizer ? new URL(options.tokenizer, base).href : new URL('tokenizer.json', base).href;
  const res = await fetchImpl(tokenizerUrl);
  if (!res.ok) throw new EvaluatorError(`GET ${tokenizerUrl} failed: ${res.status} ${res.statusText} (a checkpoint without tokenizer.json needs options.tokenizer)`);
  const tokenizer = Tokenizer.fromJSON(await res.text());
  const model = await loadCheckpointFromUrl(base.href, fetchImpl);
  try {
    checkTokenizerFits(tokenizer.vocabSize(), model.config.vocabSize);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, tokenizer };
}
