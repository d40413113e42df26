// A 2-D transpose (transpose2d.wat: 4x4 blocks with SIMD shuffles, in place on the heap).
// tfjs-wasm's own Transpose is a scalar loop, and the matMul gradients of @tokenformer/pattention
// transpose explicitly (the transpose flags are the slow path of tfjs-wasm).
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { TRANSPOSE_2D, type Transpose2dInputs } from '../kernelNames.js';
import { kernelModule, offsetOf, type KernelModuleSource, type WasmBackendLike } from './heap.js';
import { transpose2dPlain, transpose2dShared } from './transpose2dWasm.js';

interface Transpose2dExports {
  transpose(input: number, output: number, rows: number, cols: number): void;
}

export const TRANSPOSE_2D_MODULE: KernelModuleSource = { plain: transpose2dPlain, shared: transpose2dShared };

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { x } = inputs as Transpose2dInputs;
  const [rows, cols] = x.shape as [number, number];
  const out = b.makeOutput([cols, rows], x.dtype);
  kernelModule<Transpose2dExports>(TRANSPOSE_2D_MODULE, b).transpose(offsetOf(b, x), offsetOf(b, out), rows, cols);
  return out;
};

export const transpose2dConfig: KernelConfig = { kernelName: TRANSPOSE_2D, backendName: 'wasm', kernelFunc };
