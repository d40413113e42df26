// @tokenformer/node-runtime: what the Node apps and tools share (private, not published).
export { activateBackend, startBackend, BackendChoiceError, BackendError, BACKENDS, type BackendChoice, type BackendOptions } from './backend.js';
export { enableWasmThreads, wasmThreadsStarted, wasmThreadsUnsupported } from './wasmThreads.js';
export { nodeGpu, type Gpu } from './dawn.js';
export { writeFileAtomically } from './atomicFile.js';
export { enableRelaxedSimd } from './relaxedSimd.js';
export { checkOutputPath, OutputPathError } from './outputs.js';
