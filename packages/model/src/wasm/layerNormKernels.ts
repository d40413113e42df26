// LayerNorm (without weight and bias) and its gradient as two kernels of the wasm backend
// (layerNorm.wat, WebAssembly SIMD in place on the heap), registered on first use. Composed from tf
// ops it is 7 kernels forward and about as many backward: each block normalises twice, so a
// decoding step on the bench config ran ~60 LayerNorm kernels a token. Used for float32 inputs
// whose last axis is a multiple of 4, on wasm; otherwise layerNorm.ts composes tf ops.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelModule, offsetOf, registerWasmKernel, typedCustomGrad, type KernelModuleSource, type WasmBackendLike } from '@tokenformer/pattention';
import { layerNormPlain, layerNormShared } from './layerNormWasm.js';

export const LAYER_NORM_KERNEL = 'TokenFormerLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'TokenFormerLayerNormGrad';

interface LayerNormExports {
  forward(x: number, y: number, rstd: number, rows: number, c: number, eps: number): void;
  backward(dy: number, y: number, rstd: number, dx: number, rows: number, c: number): void;
}

const SOURCE: KernelModuleSource = { plain: layerNormPlain, shared: layerNormShared };

const exportsOf = (backend: WasmBackendLike) => kernelModule<LayerNormExports>(SOURCE, backend);

/** x [..., C] → [y [..., C], rstd [rows, 1]]. */
const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const x = inputs.x as TensorInfo;
  const C = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, s) => a * s, 1) / C;
  const y = b.makeOutput(x.shape, 'float32');
  const rstd = b.makeOutput([rows, 1], 'float32');
  exportsOf(b)!.forward(offsetOf(b, x), offsetOf(b, y), offsetOf(b, rstd), rows, C, (attrs as { eps: number }).eps);
  return [y, rstd];
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { dy, y, rstd } = inputs as Record<'dy' | 'y' | 'rstd', TensorInfo>;
  const C = y.shape[y.shape.length - 1]!;
  const rows = y.shape.reduce((a, s) => a * s, 1) / C;
  const dx = b.makeOutput(y.shape, 'float32');
  exportsOf(b)!.backward(offsetOf(b, dy), offsetOf(b, y), offsetOf(b, rstd), offsetOf(b, dx), rows, C);
  return dx;
};

/** Whether the kernels take x on the active backend (registering them on first call). */
export function layerNormKernelAvailable(x: Tensor): boolean {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || x.rank < 1 || x.shape[x.rank - 1]! % 4 !== 0 || x.size === 0) return false;
  if (!exportsOf(tf.backend() as unknown as WasmBackendLike)) return false;
  registerWasmKernel(LAYER_NORM_KERNEL, forward);
  registerWasmKernel(LAYER_NORM_GRAD_KERNEL, backward);
  return true;
}

/** (x − μ)/√(σ² + eps) over the last axis, differentiable; x [..., C] → [..., C]. The caller disposes. */
export function layerNormKernel(x: Tensor, eps: number): Tensor {
  const op = typedCustomGrad((input: Tensor, save: GradSaveFunc) => {
    const [y, rstd] = tf.engine().runKernel(LAYER_NORM_KERNEL, { x: input }, { eps } as unknown as NamedAttrMap) as unknown as [Tensor, Tensor];
    save([y, rstd]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, { dy, y: saved[0]!, rstd: saved[1]! }) as Tensor,
    };
  });
  return op(x);
}
