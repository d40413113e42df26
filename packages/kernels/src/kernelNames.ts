// The kernels of our own, by name, with their inputs and attributes (as tfjs-core's kernel_names.ts):
// the contract between the ops that run them (in @tokenformer/pattention and @tokenformer/model) and
// each backend's implementation (wasm/, webgpu/). Names are ours, never tfjs's, so a
// kernel of ours never replaces one of tfjs. An op runs a kernel only where
// `tf.getKernel(name, tf.getBackend())` finds it; elsewhere it composes tfjs ops.
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Pattention's l2_norm_gelu Θ over the last axis of scores [M, n] (float32, n a multiple of 4):
 * outputs [value [M, n], u [M, n] (unit rows), GeLU'(τu) [M, n], 1/‖row‖ [M, 1]] (0 for a zero row).
 */
export const L2_NORM_GELU = 'TokenFormerL2NormGelu';
export type L2NormGeluInputs = Record<'scores', TensorInfo>;
export interface L2NormGeluAttrs {
  tau: number;
}

/** The gradient of L2_NORM_GELU: dy [M, n] with its saved u, GeLU'(τu), 1/‖row‖ → d scores [M, n]. */
export const L2_NORM_GELU_GRAD = 'TokenFormerL2NormGeluGrad';
export type L2NormGeluGradInputs = Record<'dy' | 'u' | 'deriv' | 'inv', TensorInfo>;
export type L2NormGeluGradAttrs = L2NormGeluAttrs;

/**
 * Pattention's gelu_l2_norm Θ over the last axis of scores [M, n] (float32): outputs [value [M, n],
 * w [M, n] (the unit rows of GeLU(scores)), 1/‖GeLU(row)‖ [M, 1]] (0 for a zero row).
 */
export const GELU_L2_NORM = 'TokenFormerGeluL2Norm';
export type GeluL2NormInputs = Record<'scores', TensorInfo>;
export type GeluL2NormAttrs = L2NormGeluAttrs;

/** The gradient of GELU_L2_NORM: dy [M, n] with the scores, w and 1/‖GeLU(row)‖ → d scores [M, n]. */
export const GELU_L2_NORM_GRAD = 'TokenFormerGeluL2NormGrad';
export type GeluL2NormGradInputs = Record<'dy' | 'scores' | 'w' | 'inv', TensorInfo>;

/** Pattention's softmax Θ: τ·softmax(scores) over the last axis of [M, n] (float32) → [M, n]. */
export const SOFTMAX_NORM = 'TokenFormerSoftmaxNorm';
export type SoftmaxNormInputs = Record<'scores', TensorInfo>;
export type SoftmaxNormAttrs = L2NormGeluAttrs;

/** The gradient of SOFTMAX_NORM: dy [M, n] with its value v → v ⊙ (dy − Σ(dy ⊙ v)/τ). */
export const SOFTMAX_NORM_GRAD = 'TokenFormerSoftmaxNormGrad';
export type SoftmaxNormGradInputs = Record<'dy' | 'value', TensorInfo>;

/** xᵀ of x [R, C] (float32 or int32, R and C multiples of 4) → [C, R]. Its gradient is itself. */
export const TRANSPOSE_2D = 'TokenFormerTranspose2D';
export type Transpose2dInputs = Record<'x', TensorInfo>;

/**
 * LayerNorm without weight and bias over the last axis of x [..., C] (float32, C a multiple of 4):
 * outputs [y [..., C], 1/√(σ² + eps) [rows, 1]].
 */
export const LAYER_NORM = 'TokenFormerLayerNorm';
export type LayerNormInputs = Record<'x', TensorInfo>;
export interface LayerNormAttrs {
  eps: number;
}

/** The gradient of LAYER_NORM: dy [..., C] with the saved y and 1/√(σ² + eps) → dx [..., C]. */
export const LAYER_NORM_GRAD = 'TokenFormerLayerNormGrad';
export type LayerNormGradInputs = Record<'dy' | 'y' | 'rstd', TensorInfo>;

/** cos/sin tables of GPT-NeoX rotary embeddings, `dims` per head for `maxPositions` positions. */
export interface RotaryTables {
  /** Rotary dims per head (even). */
  dims: number;
  /** Positions covered (maxSeqLen). */
  maxPositions: number;
  /** cos(emb) [maxPositions, dims], row-major. */
  cos: Float32Array;
  /** sin(emb) [maxPositions, dims], row-major. */
  sin: Float32Array;
}

/**
 * Rotary embeddings (non-interleaved rotate_half) on the first `tables.dims` of each head of
 * x [B, T, H, hd] (float32) at positions offset .. offset+T-1; the other dims pass. In float32 as the
 * composed ops (each product rounded, then the sum). Its gradient is itself with `sign` negated.
 */
export const ROTARY = 'TokenFormerRotary';
export type RotaryInputs = Record<'x', TensorInfo>;
export interface RotaryAttrs {
  tables: RotaryTables;
  offset: number;
  /** +1: rotate by the positions' angles; −1: by their opposites (the gradient). */
  sign: number;
}

/** tf.split with explicit sizes of x (float32 or int32) along `axis` (≥ 0): one output per size. */
export const SPLIT_V = 'TokenFormerSplitV';
export type SplitVInputs = Record<'x', TensorInfo>;
export interface SplitVAttrs {
  sizes: number[];
  axis: number;
}

/**
 * Rows of table [V, C] (float32) at ids [N] (int32) → [N, C]; an id outside [0, V) throws
 * KernelInputError before anything is allocated. No gradient (the embedding op has its own).
 */
export const GATHER_ROWS = 'TokenFormerGatherRows';
export type GatherRowsInputs = Record<'table' | 'ids', TensorInfo>;

/**
 * The embedding gradient, deterministic: rows of dy [N, C] (float32) summed into [V, C] by id, in
 * the order of positions. `order` [N] (int32) lists the positions sorted by id (stable: ascending
 * within an id) and `starts` [V + 1] (int32) where each id's positions begin in it, as
 * `rowOrder(ids, V)` makes them on the CPU. Each output element adds its rows in position order, as
 * the cpu backend's scatterND does, so the result is the same bits on every run (tfjs-backend-webgpu's
 * scatterND adds with atomics, in whatever order the threads arrive).
 */
export const SCATTER_ADD_ROWS = 'TokenFormerScatterAddRows';
export type ScatterAddRowsInputs = Record<'dy' | 'order' | 'starts', TensorInfo>;

/**
 * Next-token cross-entropy of logits [N, V] (float32) at targets [N] (int32), fused: outputs
 * [loss [N], logsumexp [N]], loss = logsumexp(row) − row[target] capped at 87.34 nats (−log of the
 * smallest normal float, as the composed op), 0 where target == ignoreIndex.
 */
export const CROSS_ENTROPY = 'TokenFormerCrossEntropy';
export type CrossEntropyInputs = Record<'logits' | 'targets', TensorInfo>;
export interface CrossEntropyAttrs {
  ignoreIndex: number;
}

/** The gradient of CROSS_ENTROPY: dy [N] → d logits [N, V] = (softmax(row) − onehot(target))·dy, 0 where ignored. */
export const CROSS_ENTROPY_GRAD = 'TokenFormerCrossEntropyGrad';
export type CrossEntropyGradInputs = Record<'dy' | 'logits' | 'targets' | 'lse', TensorInfo>;

/**
 * Causal softmax attention in one kernel: q [B, H, Tq, hd], k and v [B, H, Tk, hd] (float32), the
 * queries at absolute positions offset .. offset+Tq−1, each seeing keys 0 .. its position: outputs
 * [o [B, H, Tq, hd], logsumexp of each query's scaled scores [B, H, Tq]]. The [Tq, Tk] scores never
 * leave the kernel.
 */
export const CAUSAL_ATTENTION = 'TokenFormerCausalAttention';
export type CausalAttentionInputs = Record<'q' | 'k' | 'v', TensorInfo>;
/** The largest head size (hd) CAUSAL_ATTENTION takes. */
export const CAUSAL_ATTENTION_MAX_HEAD_SIZE = 256;
export interface CausalAttentionAttrs {
  offset: number;
  scale: number;
}

/** The gradient of CAUSAL_ATTENTION: d o with the saved q, k, v, o and logsumexp → [dq, dk, dv]. */
export const CAUSAL_ATTENTION_GRAD = 'TokenFormerCausalAttentionGrad';
export type CausalAttentionGradInputs = Record<'dy' | 'q' | 'k' | 'v' | 'o' | 'lse', TensorInfo>;

/**
 * a · b of 2-D float32 tensors, either side transposed by flag (no transposed copy): a [M, K] (or
 * [K, M] with transposeA), b [K, N] (or [N, K] with transposeB) → [M, N]. Where a backend's own
 * matMul is faster its kernel runs that one.
 */
export const MATMUL = 'TokenFormerMatMul';
export type MatMulInputs = Record<'a' | 'b', TensorInfo>;
export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * One AdamW update of a parameter in PyTorch's order of operations (decoupled weight decay, then the
 * moments with bias correction), fused: param, grad, exp_avg, exp_avg_sq (float32, one shape) →
 * [param, exp_avg, exp_avg_sq] updated.
 */
export const ADAMW = 'TokenFormerAdamW';
export type AdamWInputs = Record<'param' | 'grad' | 'expAvg' | 'expAvgSq', TensorInfo>;
export interface AdamWAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 − lr·weightDecay (1 without decay). */
  decay: number;
  /** lr / (1 − beta1^step). */
  stepSize: number;
  /** √(1 − beta2^step). */
  bias2Sqrt: number;
}

/** Every kernel name above. */
export const KERNEL_NAMES = [L2_NORM_GELU, L2_NORM_GELU_GRAD, TRANSPOSE_2D, LAYER_NORM, LAYER_NORM_GRAD, ROTARY, SPLIT_V, GATHER_ROWS, SCATTER_ADD_ROWS, CROSS_ENTROPY, CROSS_ENTROPY_GRAD, CAUSAL_ATTENTION, CAUSAL_ATTENTION_GRAD, MATMUL, ADAMW, GELU_L2_NORM, GELU_L2_NORM_GRAD, SOFTMAX_NORM, SOFTMAX_NORM_GRAD] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];
