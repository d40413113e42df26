export * from './backends.js';
export * from './allClose.js';
export * from './leaks.js';
export * from './rng.js';
export * from './fixtures.js';
export * from './kernels.js';
