// Causal softmax attention between tokens: softmax(Q·Kᵀ/√hd + mask)·V per head. Where the active
// backend's batched matMuls are off its fast path (its traits say so) and our SPLIT_V kernel makes
// splitting cheap, each (batch, head) pair runs as plain 2-D matMuls once a pair's product is large
// enough to pay for its extra ops (the split into pairs, the join, and their gradients); small
// products (short sequences, decoding) and other backends use one batched matMul. The threshold is
// measured (packages/model/README.md, benchmarks).
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { activeBackendTraits, CAUSAL_ATTENTION, CAUSAL_ATTENTION_GRAD, CAUSAL_ATTENTION_MAX_HEAD_SIZE, hasKernel, SPLIT_V, type CausalAttentionAttrs } from '@tokenformer/kernels';
import { transpose2d, typedCustomGrad } from '@tokenformer/pattention';
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

/** Tq·Tk·hd of one (batch, head) pair from which attention runs per head (where it pays at all, above). */
export const PER_HEAD_MIN_PRODUCT = 64 * 64 * 16;

/** One batched matMul for all (batch, head) pairs. Exported for tests. */
export function batchedAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor2D, scale: number): Tensor {
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), mask); // [B, H, Tq, Tk]
  return tf.matMul(tf.softmax(scores, -1), v); // [B, H, Tq, hd]
}

/**
 * Plain 2-D matMuls per (batch, head) pair: the fast path for large pairs where batched matMuls are slow. One custom-gradient
 * op for all pairs, with the backward pass written out (softmax's included), so that the pairs'
 * dozens of small ops are neither taped nor their inputs copied for the backward pass one by one:
 * it keeps q·scale, k, v and each pair's probabilities P.
 *   forward:  P = softmax(q·scale·kᵀ + mask), o = P·v
 *   backward: dv = Pᵀ·do, dP = do·vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dq = dS·k·scale, dk = dSᵀ·(q·scale)
 * Exported for tests.
 */
export function perHeadAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor2D, scale: number): Tensor {
  const [B, H, Tq, hd] = q.shape as [number, number, number, number];
  const Tk = k.shape[2]!;
  const rows = (t: Tensor, T: number) => split(tf.reshape(t, [B * H * T, hd]), new Array<number>(B * H).fill(T), 0) as Tensor2D[]; // (B·H) × [T, hd]
  const op = typedCustomGrad((q4: Tensor, k4: Tensor, v4: Tensor, save: GradSaveFunc) => {
    const qScaled = tf.mul(q4, scale); // [B, H, Tq, hd]; one multiply instead of one per pair (exact for hd = 4^k)
    const ks = rows(k4, Tk);
    const vs = rows(v4, Tk);
    const probs = rows(qScaled, Tq).map((qi, i) => tf.softmax(tf.add(tf.matMul(qi, transpose2d(ks[i]!)), mask), -1) as Tensor2D); // (B·H) × [Tq, Tk]
    save([qScaled, k4, v4, ...probs]);
    return {
      value: tf.reshape(concat(probs.map((p, i) => tf.matMul(p, vs[i]!)), 0), [B, H, Tq, hd]), // [B, H, Tq, hd]
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sq, sk, sv, ...sp] = saved as [Tensor, Tensor, Tensor, ...Tensor2D[]];
        const qs = rows(sq, Tq);
        const ks2 = rows(sk, Tk);
        const vs2 = rows(sv, Tk);
        const dys = rows(dy, Tq);
        const dq: Tensor[] = [];
        const dk: Tensor[] = [];
        const dv: Tensor[] = [];
        sp.forEach((p, i) => {
          dv.push(tf.matMul(transpose2d(p), dys[i]!)); // [Tk, hd]
          const dP = tf.matMul(dys[i]!, transpose2d(vs2[i]!)); // [Tq, Tk]
          const dS = tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), -1, true))) as Tensor2D; // [Tq, Tk]
          dq.push(tf.matMul(dS, ks2[i]!)); // [Tq, hd]
          dk.push(tf.matMul(transpose2d(dS), qs[i]!)); // [Tk, hd]
        });
        return [
          tf.mul(tf.reshape(concat(dq, 0), [B, H, Tq, hd]), scale), // [B, H, Tq, hd]
          tf.reshape(concat(dk, 0), [B, H, Tk, hd]), // [B, H, Tk, hd]
          tf.reshape(concat(dv, 0), [B, H, Tk, hd]), // [B, H, Tk, hd]
        ];
      },
    };
  });
  return op(q, k, v);
}

/** Whether the active backend has our fused CAUSAL_ATTENTION kernels (webgpu) for these heads. */
function fusedTakes(q: Tensor): boolean {
  return q.dtype === 'float32' && q.shape[3]! <= CAUSAL_ATTENTION_MAX_HEAD_SIZE && hasKernel(CAUSAL_ATTENTION) && hasKernel(CAUSAL_ATTENTION_GRAD);
}

/** Our fused kernels: the scores stay inside them; the backward pass keeps q, k, v, o and logsumexp. */
function fusedAttention(q: Tensor, k: Tensor, v: Tensor, offset: number, scale: number): Tensor {
  const attrs = { offset, scale } satisfies CausalAttentionAttrs as unknown as NamedAttrMap;
  const op = typedCustomGrad((q4: Tensor, k4: Tensor, v4: Tensor, save: GradSaveFunc) => {
    const [o, lse] = tf.engine().runKernel(CAUSAL_ATTENTION, { q: q4, k: k4, v: v4 }, attrs) as unknown as [Tensor, Tensor]; // [B, H, Tq, hd], [B, H, Tq]
    save([q4, k4, v4, o, lse]);
    return {
      value: o,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sq, sk, sv, so, sLse] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
        return tf.engine().runKernel(CAUSAL_ATTENTION_GRAD, { dy, q: sq, k: sk, v: sv, o: so, lse: sLse }, attrs) as unknown as Tensor[]; // dq, dk, dv
      },
    };
  });
  return op(q, k, v);
}

function perHeadPays(pairProduct: number): boolean {
  return pairProduct >= PER_HEAD_MIN_PRODUCT && activeBackendTraits().slowBatchedMatMul === true && hasKernel(SPLIT_V);
}

/**
 * q [B, H, Tq, hd], k and v [B, H, Tk, hd], queries at absolute positions offset .. offset+Tq-1
 * → [B, H, Tq, hd]. Scale 1/√hd (flash-attn's default, as the official code). The caller disposes.
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, offset: number): Tensor {
  return tf.tidy(() => {
    const hd = q.shape[3]!;
    if (fusedTakes(q)) return fusedAttention(q, k, v, offset, 1 / Math.sqrt(hd));
    const mask = causalMask(q.shape[2]!, k.shape[2]!, offset); // [Tq, Tk]
    const scale = 1 / Math.sqrt(hd);
    return perHeadPays(q.shape[2]! * k.shape[2]! * hd) ? perHeadAttention(q, k, v, mask, scale) : batchedAttention(q, k, v, mask, scale);
  });
}
