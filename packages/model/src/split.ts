// split and concat whose cost is the size of the data where the active backend has our SPLIT_V
// kernel (tfjs-wasm's own Slice copies its whole input once per piece); concat's gradient is that
// split. Elsewhere they are tf.split and tf.concat.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { hasKernel, SPLIT_V, type SplitVAttrs } from '@tokenformer/kernels';

function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Pieces of x of the given sizes along `axis` (tf.split with explicit sizes). The caller disposes them. */
export function split(x: Tensor, sizes: number[], axis = 0): Tensor[] {
  const ax = normalizeAxis(axis, x.rank);
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !hasKernel(SPLIT_V)) return tf.split(x, sizes, ax);
  const total = sizes.reduce((a, s) => a + s, 0);
  if (total !== x.shape[ax]) throw new Error(`split sizes sum to ${total}, axis ${ax} has ${x.shape[ax]}`);
  const attrs: SplitVAttrs = { sizes, axis: ax };
  return tf.engine().runKernel(SPLIT_V, { x }, attrs as unknown as NamedAttrMap) as unknown as Tensor[];
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

/** tf.concat along `axis`, whose gradient is the split above. The caller disposes the result. */
export function concat(xs: Tensor[], axis = 0): Tensor {
  const ax = normalizeAxis(axis, xs[0]!.rank);
  if (!hasKernel(SPLIT_V)) return tf.concat(xs, ax);
  return concatGrad(ax)(...xs);
}
