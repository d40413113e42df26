// @tokenformer/kernels: the names and contracts of our kernels, the backend traits, and the
// gradients; each backend's kernels are in its own subpath export (@tokenformer/kernels/wasm).
export * from './kernelNames.js';
export { activeBackendTraits, hasKernel, registerBackendTraits, type BackendTraits } from './backendTraits.js';
export { KernelInputError } from './errors.js';
export { cpuResidentInt32, rowOrder } from './rowOrder.js';
