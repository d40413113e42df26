import { TokenizerInputError } from './errors.js';
import { Tokenizer } from './tokenizer.js';

/** Fetch and read a tokenizer.json (browser-safe; a checkpoint directory URL's `tokenizer.json`). */
export async function loadTokenizerFromUrl(url: string | URL, init?: RequestInit): Promise<Tokenizer> {
  const res = await fetch(url, init);
  if (!res.ok) throw new TokenizerInputError(`loadTokenizerFromUrl: ${String(url)} answered ${res.status} ${res.statusText}`);
  return Tokenizer.fromJSON(await res.text());
}
