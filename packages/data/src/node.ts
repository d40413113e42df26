// @tokenformer/data/node: the file-system side.
export * from './index.js';
export { IndexedDatasetWriter } from './node/writer.js';
export { IndexedDataset } from './node/dataset.js';
export { listFiles, newStats, readCorpus, readJsonl, readText, type Document, type JsonlOptions, type ReadOptions, type ReadStats, type TextOptions } from './node/readers.js';
export { preprocess, type PreprocessOptions, type PreprocessReport, type SplitReport } from './node/preprocess.js';
export { readSotu, sotuFiles } from './node/corpus.js';
export { EncodePool, type WorkerEncoder } from './node/encodePool.js';
