// A 2-D transpose for the wasm backend (transpose2d.wat: 4x4 blocks with SIMD shuffles, in place on
// the heap), registered on first use. The matMul gradients of matMul.ts transpose explicitly (the
// transpose flags are the slow path of tfjs-wasm), and tfjs-wasm's own Transpose is a scalar loop:
// 3.3 ms for [2048, 256] here, 8% of a training step's kernel time on the bench config.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, Tensor, Tensor2D, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelModule, offsetOf, registerWasmKernel, type KernelModuleSource, type WasmBackendLike } from './heap.js';
import { transpose2dPlain, transpose2dShared } from './transpose2dWasm.js';

export const TRANSPOSE_2D_KERNEL = 'TokenFormerTranspose2D';

interface Transpose2dExports {
  transpose(input: number, output: number, rows: number, cols: number): void;
}

const SOURCE: KernelModuleSource = { plain: transpose2dPlain, shared: transpose2dShared };

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const x = inputs.x as TensorInfo;
  const [rows, cols] = x.shape as [number, number];
  const out = b.makeOutput([cols, rows], x.dtype);
  kernelModule<Transpose2dExports>(SOURCE, b)!.transpose(offsetOf(b, x), offsetOf(b, out), rows, cols);
  return out;
};

function fastPathFor(x: Tensor): boolean {
  if (tf.getBackend() !== 'wasm' || (x.dtype !== 'float32' && x.dtype !== 'int32')) return false;
  const [rows, cols] = x.shape as [number, number];
  if (rows % 4 !== 0 || cols % 4 !== 0 || rows === 0 || cols === 0) return false;
  if (!kernelModule(SOURCE, tf.backend() as unknown as WasmBackendLike)) return false;
  registerWasmKernel(TRANSPOSE_2D_KERNEL, kernelFunc, (dy: Tensor | Tensor[]) => ({ x: () => transpose2d(dy as Tensor2D) }));
  return true;
}

/**
 * xᵀ for x [R, C] → [C, R]: on wasm, for float32/int32 with R and C multiples of 4, the kernel
 * above; otherwise tf.transpose. The caller disposes the result.
 */
export function transpose2d(x: Tensor2D): Tensor2D {
  if (!fastPathFor(x)) return tf.transpose(x);
  return tf.engine().runKernel(TRANSPOSE_2D_KERNEL, { x }) as Tensor2D;
}
