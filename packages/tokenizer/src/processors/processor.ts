import type { Encoding } from '../encoding.js';

/**
 * A `post_processor` of tokenizer.json: adds special tokens, adjusts offsets. Like Hugging Face's
 * `process_encodings`, it maps the list of encodings (one, or two for a pair) to a new list; the
 * tokenizer concatenates what comes out.
 */
export interface PostProcessor {
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[];
  /** Ids only (the fast path): the same ids `processEncodings` gives. */
  processIds(ids: number[][], addSpecialTokens: boolean): number[][];
  toJSON(): object;
}
