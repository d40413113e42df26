// split and concat whose cost on the wasm backend is the size of the data. tfjs-wasm's own Slice
// (and SplitV and Unpack, built on it) reads its whole input out of the heap as a fresh copy once
// per piece: splitting [8192, 64] into 32 heads took 48 ms for 2 MB of data, and tf.concat's
// gradient is such a split. Here, on wasm, a kernel of our own (`TokenFormerSplitV`) copies each
// piece straight from the heap, and concat's gradient uses it; on other backends these are
// tf.split and tf.concat.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { registerWasmKernel, type WasmBackendLike } from '@tokenformer/pattention';

export const SPLIT_KERNEL = 'TokenFormerSplitV';

interface SplitAttrs {
  sizes: number[];
  axis: number;
}

/** Copies the pieces of x along `axis` into new heap tensors, reading x in place. */
const splitWasm: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike;
  const x = inputs.x as TensorInfo;
  const { sizes, axis } = attrs as unknown as SplitAttrs;
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

/** The split's gradient: the pieces' gradients joined back (concat's own gradient is the split). */
function splitGrad(dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) {
  const dys = Array.isArray(dy) ? dy : [dy];
  return { x: () => concat(dys, (attrs as unknown as SplitAttrs).axis) };
}

function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Pieces of x of the given sizes along `axis` (tf.split with explicit sizes). The caller disposes them. */
export function split(x: Tensor, sizes: number[], axis = 0): Tensor[] {
  const ax = normalizeAxis(axis, x.rank);
  if (tf.getBackend() !== 'wasm' || (x.dtype !== 'float32' && x.dtype !== 'int32')) return tf.split(x, sizes, ax);
  const total = sizes.reduce((a, s) => a + s, 0);
  if (total !== x.shape[ax]) throw new Error(`split sizes sum to ${total}, axis ${ax} has ${x.shape[ax]}`);
  registerWasmKernel(SPLIT_KERNEL, splitWasm, splitGrad);
  const attrs: SplitAttrs = { sizes, axis: ax };
  return tf.engine().runKernel(SPLIT_KERNEL, { x }, attrs as unknown as NamedAttrMap) as unknown as Tensor[];
}

const concatGrad = (axis: number) =>
  tf.customGrad(((...args: (Tensor | GradSaveFunc)[]) => {
    const xs = args.slice(0, -1) as Tensor[];
    const sizes = xs.map((t) => t.shape[axis]!);
    return {
      value: tf.concat(xs, axis),
      gradFunc: (dy: Tensor) => split(dy, sizes, axis),
    };
  }) as Parameters<typeof tf.customGrad>[0]);

/** tf.concat along `axis`, whose gradient on wasm is the fast split above. The caller disposes the result. */
export function concat(xs: Tensor[], axis = 0): Tensor {
  const ax = normalizeAxis(axis, xs[0]!.rank);
  if (tf.getBackend() !== 'wasm') return tf.concat(xs, ax);
  return concatGrad(ax)(...xs);
}
