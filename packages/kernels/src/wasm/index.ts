// @tokenformer/kernels/wasm: our kernels for @tensorflow/tfjs-backend-wasm.
export { registerWasmKernels, WASM_HEAP_BYTES, WASM_WEIGHT_BYTES } from './register.js';
export { describeWasmMatMul, matMulBuild, setMatMulPolicy, type MatMulBuild, type MatMulPolicy } from './matMul.js';
