// Text-side test helpers (no tfjs): pinned npm data files, the embedded corpus, the parity corpus.
export * from './npmAsset.js';
export * from './corpus.js';
export * from './parityCorpus.js';
