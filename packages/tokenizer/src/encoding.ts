/** The result of encoding one input (or a pair), as Hugging Face's `Encoding`. */
export interface Encoding {
  /** Token ids. */
  ids: number[];
  /** Token strings (byte-level tokens in GPT-2's alphabet, e.g. "Ġworld"). */
  tokens: string[];
  /**
   * For each token, the [start, end) range of the input string it came from, in UTF-16 code
   * units (so `text.slice(start, end)` works). Tokens a post-processor adds have [0, 0].
   */
  offsets: [number, number][];
  /** Segment of each token (0 for the first sequence, 1 for a pair's second, or the template's). */
  typeIds: number[];
  /** 1 for tokens a post-processor added (special tokens), else 0. */
  specialTokensMask: number[];
  /** 1 for every token (there is no padding here). */
  attentionMask: number[];
  /** Which input each token came from (0 or 1), null for tokens a post-processor added. */
  sequenceIds: (number | null)[];
}

export function emptyEncoding(): Encoding {
  return { ids: [], tokens: [], offsets: [], typeIds: [], specialTokensMask: [], attentionMask: [], sequenceIds: [] };
}

export function pushToken(e: Encoding, id: number, token: string, offsets: [number, number], typeId: number, special: boolean, seq: number | null): void {
  e.ids.push(id);
  e.tokens.push(token);
  e.offsets.push(offsets);
  e.typeIds.push(typeId);
  e.specialTokensMask.push(special ? 1 : 0);
  e.attentionMask.push(1);
  e.sequenceIds.push(seq);
}

/** Concatenate encodings (the default post-processing of a pair). */
export function concatEncodings(parts: Encoding[]): Encoding {
  const out = emptyEncoding();
  for (const p of parts) {
    for (const k of Object.keys(out) as (keyof Encoding)[]) (out[k] as unknown[]).push(...(p[k] as unknown[]));
  }
  return out;
}
