// GPT-NeoX rotary embeddings (non-interleaved rotate_half) on the first `rotaryDims` of each head.
// cos/sin follow the official float32 arithmetic: inv_freq = 1 / base^(arange(0, dim, 2) / dim),
// emb = cat(freqs, freqs), freqs = t · inv_freq, each step rounded to float32.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { hasKernel, ROTARY, type RotaryAttrs, type RotaryTables } from '@tokenformer/kernels';
import { concat, split } from './split.js';

export type { RotaryTables };

export function rotaryTables(dims: number, base: number, maxPositions: number): RotaryTables {
  const f = Math.fround;
  const half = dims / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = f(1 / f(Math.pow(base, f((2 * i) / dims))));
  const cos = new Float32Array(maxPositions * dims);
  const sin = new Float32Array(maxPositions * dims);
  for (let t = 0; t < maxPositions; t++) {
    for (let i = 0; i < half; i++) {
      const angle = f(t * invFreq[i]!);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[t * dims + i] = c;
      cos[t * dims + half + i] = c;
      sin[t * dims + i] = s;
      sin[t * dims + half + i] = s;
    }
  }
  return { dims, maxPositions, cos, sin };
}

/** rotate_half: cat(-x2, x1) over the last axis. [..., r] → [..., r] */
function rotateHalf(x: Tensor): Tensor {
  const r = x.shape[x.rank - 1]!;
  const [x1, x2] = split(x, [r / 2, r / 2], -1); // 2 × [..., r/2]
  return concat([tf.neg(x2!), x1!], -1); // [..., r]
}

/**
 * Applies rotary to x [B, T, H, hd] for positions offset .. offset+T-1 (the first `dims` of each
 * head rotate, the rest pass). The caller disposes the result.
 */
export function applyRotary(x: Tensor, tables: RotaryTables, offset: number): Tensor {
  const { dims } = tables;
  if (dims === 0) return x.clone();
  if (x.dtype === 'float32' && x.rank === 4 && hasKernel(ROTARY)) {
    const attrs: RotaryAttrs = { tables, offset, sign: 1 };
    return tf.engine().runKernel(ROTARY, { x }, attrs as unknown as NamedAttrMap) as Tensor; // [B, T, H, hd], one pass, same arithmetic
  }
  return tf.tidy(() => {
    const [, T, , hd] = x.shape as [number, number, number, number];
    const start = offset * dims;
    const cos = tf.tensor3d(tables.cos.subarray(start, start + T * dims), [T, 1, dims]); // [T, 1, r]
    const sin = tf.tensor3d(tables.sin.subarray(start, start + T * dims), [T, 1, dims]); // [T, 1, r]
    const [xRot, xPass] = dims === hd ? [x] : split(x, [dims, hd - dims], -1); // [B, T, H, r], [B, T, H, hd - r]
    const rotated = tf.add(tf.mul(xRot!, cos), tf.mul(rotateHalf(xRot!), sin)); // [B, T, H, r]
    if (dims === hd) return rotated;
    return concat([rotated, xPass!], -1); // [B, T, H, hd]
  });
}
