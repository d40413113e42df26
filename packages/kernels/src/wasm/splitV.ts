// split whose cost is the size of the data. tfjs-wasm's own Slice (and SplitV and Unpack, built on
// it) reads its whole input out of the heap as a fresh copy once per piece, so splitting into many
// pieces (heads, (batch, head) pairs) costs pieces × input; here each piece is copied once, straight
// from the heap.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SPLIT_V, type SplitVAttrs, type SplitVInputs } from '../kernelNames.js';
import type { WasmBackendLike } from './heap.js';

const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const { x } = inputs as SplitVInputs;
  const { sizes, axis } = attrs as unknown as SplitVAttrs;
  const outer = x.shape.slice(0, axis).reduce((a, s) => a * s, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, s) => a * s, 1);
  const rowLength = x.shape[axis]! * inner;
  const outs: TensorInfo[] = [];
  let offset = 0;
  for (const size of sizes) {
    const out = b.makeOutput(x.shape.map((s, i) => (i === axis ? size : s)), x.dtype);
    // views after makeOutput: it may grow the heap and detach older ones
    const src = b.typedArrayFromHeap(x);
    const dst = b.typedArrayFromHeap(out);
    const chunk = size * inner;
    if (outer === 1) {
      dst.set(src.subarray(offset, offset + chunk));
    } else if (chunk >= 32) {
      for (let o = 0; o < outer; o++) dst.set(src.subarray(o * rowLength + offset, o * rowLength + offset + chunk), o * chunk);
    } else {
      for (let o = 0; o < outer; o++) {
        const from = o * rowLength + offset;
        for (let j = 0; j < chunk; j++) dst[o * chunk + j] = src[from + j]!;
      }
    }
    offset += chunk;
    outs.push(out);
  }
  return outs;
};

export const splitVConfig: KernelConfig = { kernelName: SPLIT_V, backendName: 'wasm', kernelFunc };
