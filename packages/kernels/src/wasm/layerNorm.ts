// LayerNorm (without weight and bias) and its gradient as two kernels (layerNorm.wat, WebAssembly
// SIMD in place on the heap). Composed from tf ops it is 7 kernels forward and about as many
// backward, and each block normalises twice.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD, type LayerNormAttrs, type LayerNormGradInputs, type LayerNormInputs } from '../kernelNames.js';
import { kernelModule, offsetOf, type KernelModuleSource, type WasmBackendLike } from './heap.js';
import { layerNormPlain, layerNormShared } from './layerNormWasm.js';

interface LayerNormExports {
  forward(x: number, y: number, rstd: number, rows: number, c: number, eps: number): void;
  backward(dy: number, y: number, rstd: number, dx: number, rows: number, c: number): void;
}

export const LAYER_NORM_MODULE: KernelModuleSource = { plain: layerNormPlain, shared: layerNormShared };

/** x [..., C] → [y [..., C], rstd [rows, 1]]. */
const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { x } = inputs as LayerNormInputs;
  const C = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, s) => a * s, 1) / C;
  const y = b.makeOutput(x.shape, 'float32');
  const rstd = b.makeOutput([rows, 1], 'float32');
  kernelModule<LayerNormExports>(LAYER_NORM_MODULE, b).forward(offsetOf(b, x), offsetOf(b, y), offsetOf(b, rstd), rows, C, (attrs as unknown as LayerNormAttrs).eps);
  return [y, rstd];
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { dy, y, rstd } = inputs as LayerNormGradInputs;
  const C = y.shape[y.shape.length - 1]!;
  const rows = y.shape.reduce((a, s) => a * s, 1) / C;
  const dx = b.makeOutput(y.shape, 'float32');
  kernelModule<LayerNormExports>(LAYER_NORM_MODULE, b).backward(offsetOf(b, dy), offsetOf(b, y), offsetOf(b, rstd), offsetOf(b, dx), rows, C);
  return dx;
};

export const layerNormConfig: KernelConfig = { kernelName: LAYER_NORM, backendName: 'wasm', kernelFunc: forward };
export const layerNormGradConfig: KernelConfig = { kernelName: LAYER_NORM_GRAD, backendName: 'wasm', kernelFunc: backward };
