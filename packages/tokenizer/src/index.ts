// @tokenformer/tokenizer: Hugging Face tokenizer.json byte-level BPE, browser-safe (no fs here;
// file helpers are in `@tokenformer/tokenizer/node`).
export { Tokenizer, type DecodeOptions, type EncodeInput, type EncodeOptions, type TokenizerParts, wellFormed } from './tokenizer.js';
export type { Encoding } from './encoding.js';
export type { AddedToken } from './addedVocabulary.js';
export { BPE, type BpeOptions, byteToken } from './models/bpe.js';
export { parseMergesTxt, parseVocabJson } from './models/bpeJson.js';
export { BYTE_TO_CHAR, byteLevelAlphabet, toByteLevel } from './byteAlphabet.js';
export * from './normalizers/index.js';
export * from './preTokenizers/index.js';
export * from './processors/index.js';
export * from './decoders/index.js';
export { MalformedTokenizerError, TokenizerError, TokenizerInputError, UnsupportedFeatureError } from './errors.js';
export { BpeTrainer, type BpeTrainerOptions } from './trainer/bpeTrainer.js';
export { canStream, encodeStream, lastSafeCut, type StreamOptions } from './stream.js';
export { DecodeStream } from './decodeStream.js';
export { loadTokenizerFromUrl } from './url.js';
