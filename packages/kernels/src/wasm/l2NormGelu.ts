// Pattention's l2_norm_gelu Θ and its gradient as two fused kernels (l2NormGelu.wat, WebAssembly
// SIMD, in place on the heap). Composed from tf ops, Θ is 14 element-wise kernels forward and 13
// backward, each a pass over the [M, n] scores, and tfjs-wasm's Exp and Erf are scalar; fused, it is
// two passes forward and two backward.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { L2_NORM_GELU, L2_NORM_GELU_GRAD, type L2NormGeluAttrs, type L2NormGeluGradInputs, type L2NormGeluInputs } from '../kernelNames.js';
import { kernelModule, offsetOf, type KernelModuleSource, type WasmBackendLike } from './heap.js';
import { l2NormGeluPlain, l2NormGeluShared } from './l2NormGeluWasm.js';

interface L2NormGeluExports {
  forward(s: number, value: number, u: number, deriv: number, inv: number, rows: number, n: number, tau: number): void;
  backward(dy: number, u: number, deriv: number, inv: number, dx: number, rows: number, n: number, tau: number): void;
}

export const L2_NORM_GELU_MODULE: KernelModuleSource = { plain: l2NormGeluPlain, shared: l2NormGeluShared };

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { scores } = inputs as L2NormGeluInputs;
  const [M, n] = scores.shape as [number, number];
  const outs: TensorInfo[] = [b.makeOutput([M, n], 'float32'), b.makeOutput([M, n], 'float32'), b.makeOutput([M, n], 'float32'), b.makeOutput([M, 1], 'float32')];
  const [value, u, deriv, inv] = outs.map((o) => offsetOf(b, o)) as [number, number, number, number];
  kernelModule<L2NormGeluExports>(L2_NORM_GELU_MODULE, b).forward(offsetOf(b, scores), value, u, deriv, inv, M, n, (attrs as unknown as L2NormGeluAttrs).tau);
  return outs; // [value, u, GeLU'(z), inv]
};

const backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { dy, u, deriv, inv } = inputs as L2NormGeluGradInputs;
  const [M, n] = u.shape as [number, number];
  const dx = b.makeOutput([M, n], 'float32');
  const tau = (attrs as unknown as L2NormGeluAttrs).tau;
  kernelModule<L2NormGeluExports>(L2_NORM_GELU_MODULE, b).backward(offsetOf(b, dy), offsetOf(b, u), offsetOf(b, deriv), offsetOf(b, inv), offsetOf(b, dx), M, n, tau);
  return dx;
};

export const l2NormGeluConfig: KernelConfig = { kernelName: L2_NORM_GELU, backendName: 'wasm', kernelFunc: forward };
export const l2NormGeluGradConfig: KernelConfig = { kernelName: L2_NORM_GELU_GRAD, backendName: 'wasm', kernelFunc: backward };
