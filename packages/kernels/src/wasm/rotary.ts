// Rotary embeddings in one pass over the heap. Composed from tf ops, rotary is a split of each head,
// a split of its rotary part, a negation, two multiplies, an add and two concats, and the backward
// pass as many again. Same float32 arithmetic as the composed ops (each product rounded, then the
// sum), so the result is bit for bit theirs.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { ROTARY, type RotaryAttrs, type RotaryInputs } from '../kernelNames.js';
import type { WasmBackendLike } from './heap.js';

const f = Math.fround;

/** x [B, T, H, hd] → the rotated copy. */
const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { x } = inputs as RotaryInputs;
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

export const rotaryConfig: KernelConfig = { kernelName: ROTARY, backendName: 'wasm', kernelFunc };
