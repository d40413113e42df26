// Causal softmax attention between tokens: softmax(Q·Kᵀ/√hd + mask)·V per head.
// On wasm, batched matMuls fall off the fast path, so there each (batch, head) pair runs as
// plain 2-D matMuls once a pair's product is large enough to pay for its extra ops (the split
// into pairs, the join, and their gradients); small products (short sequences, decoding) and
// other backends use one batched matMul. Measured forward + backward on wasm, 1 thread (ms,
// batched vs per head): [16,4,32,16] 11.6 vs 72; [8,4,64,16] 29 vs 16; [8,4,64,32] 38 vs 15;
// [8,4,128,32] 152 vs 34.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { matMul2d, matMulBT } from '@tokenformer/pattention';
import { concat, split } from './split.js';

/**
 * Additive causal mask [Tq, Tk]: query i (absolute position offset + i) sees keys 0..offset+i.
 * A large negative number rather than -Infinity keeps masked rows free of NaN on every backend.
 */
export function causalMask(tq: number, tk: number, offset: number): Tensor2D {
  const data = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) {
    for (let j = offset + i + 1; j < tk; j++) data[i * tk + j] = -1e9;
  }
  return tf.tensor2d(data, [tq, tk]);
}

/** Tq·Tk·hd of one (batch, head) pair from which wasm runs attention per head. */
export const PER_HEAD_MIN_PRODUCT = 64 * 64 * 16;

/** One batched matMul for all (batch, head) pairs. Exported for tests. */
export function batchedAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor2D, scale: number): Tensor {
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), mask); // [B, H, Tq, Tk]
  return tf.matMul(tf.softmax(scores, -1), v); // [B, H, Tq, hd]
}

/** Plain 2-D matMuls per (batch, head) pair: the wasm fast path for large pairs. Exported for tests. */
export function perHeadAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor2D, scale: number): Tensor {
  const [B, H, Tq, hd] = q.shape as [number, number, number, number];
  const Tk = k.shape[2]!;
  const rows = (t: Tensor, T: number) => split(tf.reshape(t, [B * H * T, hd]), new Array<number>(B * H).fill(T), 0); // (B·H) × [T, hd]
  const qs = rows(q, Tq);
  const ks = rows(k, Tk);
  const vs = rows(v, Tk);
  const outs = qs.map((qi, i) => {
    const scores = tf.add(tf.mul(matMulBT(qi as Tensor2D, ks[i] as Tensor2D), scale), mask); // [Tq, Tk]
    return matMul2d(tf.softmax(scores, -1) as Tensor2D, vs[i] as Tensor2D); // [Tq, hd]
  });
  return tf.reshape(concat(outs, 0), [B, H, Tq, hd]); // [B, H, Tq, hd]
}

/**
 * q [B, H, Tq, hd], k and v [B, H, Tk, hd], queries at absolute positions offset .. offset+Tq-1
 * → [B, H, Tq, hd]. Scale 1/√hd (flash-attn's default, as the official code). The caller disposes.
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, offset: number): Tensor {
  return tf.tidy(() => {
    const hd = q.shape[3]!;
    const mask = causalMask(q.shape[2]!, k.shape[2]!, offset); // [Tq, Tk]
    const scale = 1 / Math.sqrt(hd);
    const perHeadPays = q.shape[2]! * k.shape[2]! * hd >= PER_HEAD_MIN_PRODUCT;
    return tf.getBackend() === 'wasm' && perHeadPays ? perHeadAttention(q, k, v, mask, scale) : batchedAttention(q, k, v, mask, scale);
  });
}
