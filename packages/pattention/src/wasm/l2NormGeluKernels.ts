// The l2_norm_gelu Θ and its gradient as two fused kernels of the wasm backend (l2NormGelu.wat,
// WebAssembly SIMD, run in place on the backend's heap), registered on first use. Composed from
// tf ops, Θ is 14 element-wise kernels forward and 13 backward, each a pass over the [M, n]
// scores, and tfjs-wasm's Exp and Erf are scalar (11-16 ns an element here); fused, it is two
// passes forward and two backward. Used when the backend is wasm, the scores are float32 and n is
// a multiple of 4; otherwise norms.ts composes tf ops.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelModule, offsetOf, registerWasmKernel, type KernelModuleSource, type WasmBackendLike } from './heap.js';
import { l2NormGeluPlain, l2NormGeluShared } from './l2NormGeluWasm.js';

export const L2_NORM_GELU_KERNEL = 'TokenFormerL2NormGelu';
export const L2_NORM_GELU_GRAD_KERNEL = 'TokenFormerL2NormGeluGrad';

interface L2NormGeluExports {
  forward(s: number, value: number, u: number, deriv: number, inv: number, rows: number, n: number, tau: number): void;
  backward(dy: number, u: number, deriv: number, inv: number, dx: number, rows: number, n: number, tau: number): void;
}

const SOURCE: KernelModuleSource = { plain: l2NormGeluPlain, shared: l2NormGeluShared };

function kernelsFor(backend: WasmBackendLike): L2NormGeluExports | null {
  return kernelModule<L2NormGeluExports>(SOURCE, backend);
}

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const scores = inputs.scores as TensorInfo;
  const [M, n] = scores.shape as [number, number];
  const outs = [b.makeOutput([M, n], 'float32'), b.makeOutput([M, n], 'float32'), b.makeOutput([M, n], 'float32'), b.makeOutput([M, 1], 'float32')];
  const [value, u, deriv, inv] = outs.map((o) => offsetOf(b, o)) as [number, number, number, number];
  kernelsFor(b)!.forward(offsetOf(b, scores), value, u, deriv, inv, M, n, (attrs as { tau: number }).tau);
  return outs; // [value, u, GeLU'(z), inv]
};

const backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { dy, u, deriv, inv } = inputs as Record<'dy' | 'u' | 'deriv' | 'inv', TensorInfo>;
  const [M, n] = u.shape as [number, number];
  const dx = b.makeOutput([M, n], 'float32');
  kernelsFor(b)!.backward(offsetOf(b, dy), offsetOf(b, u), offsetOf(b, deriv), offsetOf(b, inv), offsetOf(b, dx), M, n, (attrs as { tau: number }).tau);
  return dx;
};

/** Whether the fused kernels can take scores of this shape on the active backend. */
export function fusedL2NormGeluAvailable(scores: Tensor): boolean {
  if (tf.getBackend() !== 'wasm' || scores.dtype !== 'float32' || scores.rank !== 2 || scores.shape[1]! % 4 !== 0) return false;
  if (!kernelsFor(tf.backend() as unknown as WasmBackendLike)) return false;
  registerWasmKernel(L2_NORM_GELU_KERNEL, forward);
  registerWasmKernel(L2_NORM_GELU_GRAD_KERNEL, backward);
  return true;
}

/** scores [M, n] → [value, u, GeLU'(z), inv] ([M, n] ×3 and [M, 1]). */
export function l2NormGeluForward(scores: Tensor, tau: number): [Tensor, Tensor, Tensor, Tensor] {
  return tf.engine().runKernel(L2_NORM_GELU_KERNEL, { scores }, { tau } as unknown as NamedAttrMap) as unknown as [Tensor, Tensor, Tensor, Tensor];
}

/** dy [M, n] with the saved u, GeLU'(z) and inv → d scores [M, n]. */
export function l2NormGeluBackward(dy: Tensor, u: Tensor, deriv: Tensor, inv: Tensor, tau: number): Tensor {
  return tf.engine().runKernel(L2_NORM_GELU_GRAD_KERNEL, { dy, u, deriv, inv }, { tau } as unknown as NamedAttrMap) as unknown as Tensor;
}
