// The "modified softmax" Θ of Pattention, over the last axis (the n parameter tokens), as in the
// official `nonlinear_norm_func`. The two L2 variants have hand-written gradients: they fuse the
// backward pass and define an all-zero score row (0/0 in the official code) as an all-zero
// output with a zero gradient.
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, NamedAttrMap, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { GELU_L2_NORM, GELU_L2_NORM_GRAD, hasKernel, L2_NORM_GELU, L2_NORM_GELU_GRAD, SOFTMAX_NORM, SOFTMAX_NORM_GRAD, type L2NormGeluAttrs } from '@tokenformer/kernels';
import { typedCustomGrad } from './customGrad.js';
import { PattentionConfigError } from './errors.js';

/** Which normalisation Θ a Pattention applies to its scores. */
export type NormActivationType = 'l2_norm_gelu' | 'gelu_l2_norm' | 'softmax';

export const NORM_ACTIVATION_TYPES: readonly NormActivationType[] = ['l2_norm_gelu', 'gelu_l2_norm', 'softmax'];

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ(x) = 0.5·(1 + erf(x/√2)), the standard normal CDF. */
function normalCdf(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(tf.add(tf.erf(tf.mul(x, SQRT1_2)), 1), 0.5));
}

/** Exact (erf) GeLU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)), as torch's F.gelu. */
export function gelu(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, normalCdf(x)));
}

/** GeLU'(x) = Φ(x) + x·φ(x), given Φ(x) from the forward pass (erf is costly on wasm). */
function geluDerivative(x: Tensor, cdf: Tensor): Tensor {
  return tf.tidy(() => {
    const pdf = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), INV_SQRT_2PI);
    return tf.add(cdf, tf.mul(x, pdf));
  });
}

/** 1/‖row‖₂ for each row, 0 where the row is all zero. [M, n] → [M, 1] */
function inverseRowNorm(a: Tensor): Tensor {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(a), -1, true)); // [M, 1]
    return tf.where(tf.greater(norm, 0), tf.reciprocal(norm), tf.zerosLike(norm)); // [M, 1]
  });
}

/** Projects g away from the unit rows u: g - u·(u·g), the Jacobian of x ↦ x/‖x‖ up to 1/‖x‖. */
function tangent(g: Tensor, u: Tensor): Tensor {
  return tf.sub(g, tf.mul(u, tf.sum(tf.mul(g, u), -1, true))); // [M, n]
}

/** Whether the active backend has our fused L2_NORM_GELU kernels for these scores. */
function fusedL2NormGeluTakes(scores: Tensor2D): boolean {
  return scores.dtype === 'float32' && scores.shape[1] % 4 === 0 && hasKernel(L2_NORM_GELU) && hasKernel(L2_NORM_GELU_GRAD);
}

/** l2_norm_gelu as our fused kernels (same value and gradient in 4 passes instead of 27). */
function l2NormGeluFused(tau: number) {
  const attrs = { tau } satisfies L2NormGeluAttrs as unknown as NamedAttrMap;
  return typedCustomGrad((scores: Tensor, save: GradSaveFunc) => {
    const [value, u, deriv, inv] = tf.engine().runKernel(L2_NORM_GELU, { scores }, attrs) as unknown as Tensor[]; // [M, n] ×3, [M, 1]
    save([u!, deriv!, inv!]);
    return {
      value: value!,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [su, sDeriv, sInv] = saved as [Tensor, Tensor, Tensor];
        return tf.engine().runKernel(L2_NORM_GELU_GRAD, { dy, u: su, deriv: sDeriv, inv: sInv }, attrs) as Tensor; // [M, n]
      },
    };
  });
}

/** Whether the active backend has both kernels of a fused Θ (webgpu: gelu_l2_norm and softmax too) for float32 scores. */
function fusedTakes(scores: Tensor2D, forward: string, backward: string): boolean {
  return scores.dtype === 'float32' && hasKernel(forward) && hasKernel(backward);
}

/** gelu_l2_norm as our fused kernels: saves the scores, the unit rows w and 1/‖GeLU(row)‖. */
function geluL2NormFused(tau: number) {
  const attrs = { tau } satisfies L2NormGeluAttrs as unknown as NamedAttrMap;
  return typedCustomGrad((scores: Tensor, save: GradSaveFunc) => {
    const [value, w, inv] = tf.engine().runKernel(GELU_L2_NORM, { scores }, attrs) as unknown as Tensor[]; // [M, n] ×2, [M, 1]
    save([scores, w!, inv!]);
    return {
      value: value!,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sScores, sw, sInv] = saved as [Tensor, Tensor, Tensor];
        return tf.engine().runKernel(GELU_L2_NORM_GRAD, { dy, scores: sScores, w: sw, inv: sInv }, attrs) as Tensor; // [M, n]
      },
    };
  });
}

/** τ·softmax as our fused kernels: the backward pass needs only the value. */
function softmaxFused(tau: number) {
  const attrs = { tau } satisfies L2NormGeluAttrs as unknown as NamedAttrMap;
  return typedCustomGrad((scores: Tensor, save: GradSaveFunc) => {
    const value = tf.engine().runKernel(SOFTMAX_NORM, { scores }, attrs) as Tensor; // [M, n]
    save([value]);
    return { value, gradFunc: (dy: Tensor, saved: Tensor[]) => tf.engine().runKernel(SOFTMAX_NORM_GRAD, { dy, value: saved[0]! }, attrs) as Tensor }; // [M, n]
  });
}

function l2NormGelu(tau: number) {
  return typedCustomGrad((scores: Tensor, save: GradSaveFunc) => {
    const invNorm = inverseRowNorm(scores); // [M, 1]
    const u = tf.mul(scores, invNorm); // [M, n], unit rows
    const z = tf.mul(u, tau); // [M, n]
    const cdf = normalCdf(z); // [M, n]
    save([u, z, invNorm, cdf]);
    return {
      value: tf.mul(z, cdf), // [M, n], GeLU(z)
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [su, sz, sInv, sCdf] = saved as [Tensor, Tensor, Tensor, Tensor];
        const g = tf.mul(dy, geluDerivative(sz, sCdf)); // [M, n]
        return tf.mul(tangent(g, su), tf.mul(sInv, tau)); // [M, n]
      },
    };
  });
}

function geluL2Norm(tau: number) {
  return typedCustomGrad((scores: Tensor, save: GradSaveFunc) => {
    const cdf = normalCdf(scores); // [M, n]
    const g = tf.mul(scores, cdf); // [M, n], GeLU(scores)
    const invNorm = inverseRowNorm(g); // [M, 1]
    const w = tf.mul(g, invNorm); // [M, n], unit rows
    save([scores, w, invNorm, cdf]);
    return {
      value: tf.mul(w, tau), // [M, n]
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sScores, sw, sInv, sCdf] = saved as [Tensor, Tensor, Tensor, Tensor];
        const dG = tf.mul(tangent(dy, sw), tf.mul(sInv, tau)); // [M, n]
        return tf.mul(dG, geluDerivative(sScores, sCdf)); // [M, n]
      },
    };
  });
}

/**
 * The scale τ each variant multiplies by when none is pinned: √n for the L2 variants and n for
 * softmax (the official code's `inputs.shape[dim]`), n being the number of parameter tokens.
 */
export function defaultTau(type: NormActivationType, paramTokenNum: number): number {
  return type === 'softmax' ? paramTokenNum : Math.sqrt(paramTokenNum);
}

/**
 * Θ(scores) over the last axis. `tau` null or undefined means the official default (see
 * `defaultTau`); a number pins it (growth keeps the old τ so the grown layer computes the same
 * function). Softmax subtracts the row maximum first (same value as the official exp / L1 · n,
 * without its overflow above 88). scores: [M, n] → [M, n]. The caller disposes the result.
 */
export function nonlinearNorm(scores: Tensor2D, type: NormActivationType, tau?: number | null): Tensor2D {
  const n = scores.shape[1];
  const t = tau ?? defaultTau(type, n);
  if (!Number.isFinite(t) || t <= 0) {
    throw new PattentionConfigError(`tau must be a finite number > 0, got ${t}`);
  }
  switch (type) {
    case 'l2_norm_gelu':
      return (fusedL2NormGeluTakes(scores) ? l2NormGeluFused(t) : l2NormGelu(t))(scores) as Tensor2D;
    case 'gelu_l2_norm':
      return (fusedTakes(scores, GELU_L2_NORM, GELU_L2_NORM_GRAD) ? geluL2NormFused(t) : geluL2Norm(t))(scores) as Tensor2D;
    case 'softmax':
      if (fusedTakes(scores, SOFTMAX_NORM, SOFTMAX_NORM_GRAD)) return softmaxFused(t)(scores) as Tensor2D;
      return tf.tidy(() => tf.mul(tf.softmax(scores, -1), t)); // [M, n]
    default:
      throw new PattentionConfigError(
        `normActivationType must be one of ${NORM_ACTIVATION_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
      );
  }
}
