// Rotary embeddings as one kernel of the wasm backend, registered on first use. Composed from tf
// ops, rotary is a split of each head, a split of its rotary part, a negation, two multiplies, an
// add and two concats, and the backward pass as many again: ~120 ms of a bench-config training step
// on one thread. Here one pass over the heap, in the same float32 arithmetic as the composed ops
// (each product rounded, then the sum), so the result is bit for bit theirs. Its gradient is the
// rotation by the opposite angle: with emb = cat(freqs, freqs), dx = dy·cos − rotate_half(dy·sin)
// is the forward formula with −sin.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { registerWasmKernel, type WasmBackendLike } from '@tokenformer/pattention';
import type { RotaryTables } from './rotary.js';

export const ROTARY_KERNEL = 'TokenFormerRotary';

interface RotaryAttrs {
  tables: RotaryTables;
  offset: number;
  /** +1: rotate by the positions' angles; −1: by their opposites (the gradient). */
  sign: number;
}

const f = Math.fround;

/** x [B, T, H, hd] → the rotated copy. */
const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const x = inputs.x as TensorInfo;
  const { tables, offset, sign } = attrs as unknown as RotaryAttrs;
  const [B, T, H, hd] = x.shape as [number, number, number, number];
  const r = tables.dims;
  const half = r / 2;
  const outInfo = b.makeOutput(x.shape, 'float32');
  const src = b.typedArrayFromHeap(x) as Float32Array;
  const out = b.typedArrayFromHeap(outInfo) as Float32Array;
  out.set(src); // the pass-through dims, then the rotary ones overwritten
  const { cos, sin } = tables;
  for (let bt = 0; bt < B * T; bt++) {
    const row = (offset + (bt % T)) * r; // this position's cos/sin
    for (let h = 0; h < H; h++) {
      const base = (bt * H + h) * hd;
      for (let i = 0; i < half; i++) {
        const s = sign * sin[row + i]!;
        out[base + i] = f(src[base + i]! * cos[row + i]!) + f(-src[base + half + i]! * s);
        out[base + half + i] = f(src[base + half + i]! * cos[row + half + i]!) + f(src[base + i]! * s);
      }
    }
  }
  return outInfo;
};

/** Whether the kernel serves x on the active backend (registering it and its gradient on first use). */
export function rotaryKernelAvailable(x: Tensor): boolean {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || x.rank !== 4) return false;
  registerWasmKernel(ROTARY_KERNEL, kernelFunc, (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { tables, offset, sign } = attrs as unknown as RotaryAttrs;
    return { x: () => rotaryKernel(dy as Tensor, tables, offset, -sign) };
  });
  return true;
}

/** x [B, T, H, hd] at positions offset .. offset+T-1 → rotated [B, T, H, hd]. The caller disposes. */
export function rotaryKernel(x: Tensor, tables: RotaryTables, offset: number, sign = 1): Tensor {
  const attrs: RotaryAttrs = { tables, offset, sign };
  return tf.engine().runKernel(ROTARY_KERNEL, { x }, attrs as unknown as NamedAttrMap) as Tensor;
}
