// Streaming encode: text arrives in chunks of any size (a file, a network stream) and ids come out
// as soon as they are final, with memory bounded by the longest stretch of text without a safe
// cut. A cut is safe where the tokenization of the two sides cannot depend on each other: a single
// "\n" between two non-space characters (or, failing that in a long stretch, a single space
// between two non-space characters). For the pipelines `canStream` accepts, the ids are exactly
// those of encoding the whole text at once (tests check it for GPT-NeoX-20B and GPT-2).
import { UnsupportedFeatureError } from './errors.js';
import { Lowercase, NormalizerSequence, UnicodeNormalizer, type Normalizer } from './normalizers/index.js';
import { ByteLevelPreTokenizer } from './preTokenizers/index.js';
import { WHITE_SPACE } from './regex.js';
import type { Tokenizer } from './tokenizer.js';

export interface StreamOptions {
  /** Text is held back until this many UTF-16 units have arrived before looking for a cut. Default 65,536. */
  chunkSize?: number;
}

function normalizerStreams(n: Normalizer | null): boolean {
  if (n === null || n instanceof UnicodeNormalizer || n instanceof Lowercase) return true;
  return n instanceof NormalizerSequence && n.normalizers.every(normalizerStreams);
}

/** Whether `encodeStream` gives exactly `encodeIds` for this tokenizer (see the file comment). */
export function canStream(t: Tokenizer): boolean {
  const pt = t.preTokenizer;
  const byteLevelOk = pt instanceof ByteLevelPreTokenizer && pt.options.useRegex && !pt.options.addPrefixSpace;
  const addedOk = [...t.addedVocabulary.byId.values()].every((a) => !/[\n ]\P{White_Space}/u.test(a.content) && !a.lstrip && !a.rstrip);
  return byteLevelOk && addedOk && normalizerStreams(t.normalizer);
}

/** White space as the pipeline defines it (Unicode White_Space), with ASCII answered directly. */
const isWhite = (c: number): boolean => (c < 0x80 ? c === 32 || (c >= 9 && c <= 13) : WHITE_SPACE.test(String.fromCharCode(c)));

/** The last safe cut in `text` at or after `from`, or -1. */
export function lastSafeCut(text: string, from: number): number {
  let fallback = -1;
  for (let i = text.length - 1; i >= Math.max(from, 2); i--) {
    const sep = text.charCodeAt(i - 1);
    if ((sep === 10 || sep === 32) && !isWhite(text.charCodeAt(i - 2)) && !isWhite(text.charCodeAt(i))) {
      if (sep === 10) return i;
      if (fallback < 0) fallback = i - 1; // cut before the space: " word" stays one word
    }
  }
  return fallback;
}

/**
 * Encode text that arrives in chunks; yields arrays of ids whose concatenation equals
 * `tokenizer.encodeIds(wholeText, { addSpecialTokens: false })`.
 */
export async function* encodeStream(
  tokenizer: Tokenizer,
  chunks: AsyncIterable<string> | Iterable<string>,
  options: StreamOptions = {},
): AsyncGenerator<number[]> {
  if (!canStream(tokenizer)) {
    throw new UnsupportedFeatureError(
      'pre_tokenizer',
      tokenizer.preTokenizer?.toJSON() ?? null,
      'cannot be encoded in chunks exactly (streaming needs a ByteLevel pre-tokenizer with the GPT-2 regex and no prefix space); encode whole texts instead',
    );
  }
  const chunkSize = options.chunkSize ?? 65536;
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length < chunkSize) continue;
    // search only the tail: a cut near the end keeps little text back
    const cut = lastSafeCut(buffer, Math.max(0, buffer.length - chunkSize));
    if (cut <= 0) continue;
    yield tokenizer.encodeIds(buffer.slice(0, cut), { addSpecialTokens: false });
    buffer = buffer.slice(cut);
  }
  if (buffer.length > 0) yield tokenizer.encodeIds(buffer, { addSpecialTokens: false });
}
