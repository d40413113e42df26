// A tokenizer belongs with a model only when each of its ids has a row in the model's embedding.

import { CheckpointError } from './errors.js';

/** Throws CheckpointError when a tokenizer of `tokenizerIds` ids has ids past the model's `vocabSize` rows. */
export function checkTokenizerFits(tokenizerIds: number, vocabSize: number): void {
  if (tokenizerIds > vocabSize) {
    throw new CheckpointError(`the tokenizer has ${tokenizerIds} ids, the model only ${vocabSize}: they do not belong together`);
  }
}
