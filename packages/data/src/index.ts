// @tokenformer/data: browser-safe parts (the index format, the sampler). Files, readers and the
// preprocessor are in `@tokenformer/data/node`.
export { CompressedInputError, DataError, DataInputError, DatasetFormatError, MalformedInputError, type MalformedReason } from './errors.js';
export { bestFittingDtype, decodeIndex, DTYPE_CODES, encodeIndex, HEADER_BYTES, itemSize, MAGIC, type DatasetIndex, type TokenDtype } from './format.js';
export { documentsFromArrays } from './documents.js';
export { GptSampler, type Batch, type SamplerCursor, type SamplerOptions, type TokenDocuments } from './sampler.js';
export { hashUniform, seededRandom } from './random.js';
