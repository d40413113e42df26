// The memory a training step needs, checked before the step against the active backend's
// `maxTrainingBytes` trait (registered with its kernels: the wasm heap's reach), and its largest
// tensor, the logits, against `maxTensorBytes` (a WebGPU device's buffer limit; WebGPU does not tell
// how much memory the GPU has, so the total is not checked there). Past the heap's
// end tfjs-wasm fails mid-step with "memory access out of bounds" (or a TypeError inside tfjs),
// which names nothing. Fitted on measured peaks (tf.profile's peakBytes over a whole step, 14
// configs varying d, L, the token counts, heads, T, V and the batch; each within -5%/+3%):
//   bytes ≈ 26·P + 4·N·(Σ_layers (104·d + 6·Σn + 7·H·T) + 9.5·V)
// P parameters (weights, gradients, clipped gradients, AdamW's moments, transposes: 26 bytes each;
// 22 where a MATMUL kernel takes the products, whose transposed copies are no tensors: the bench
// config's measured peak fell by that much when the wasm one came),
// N tokens in the micro-batch, Σn a layer's query + key + value + proj + ffn token counts (README,
// benchmarks: where the bench config's heap ends).
import * as tf from '@tensorflow/tfjs-core';
import { activeBackendTraits, hasKernel, MATMUL } from '@tokenformer/kernels';
import { countParams, type TokenFormerConfig } from '@tokenformer/model';
import { TrainerConfigError } from './errors.js';

export interface TrainingMemory {
  /** Parameter-sized tensors at the peak (weights, gradients, clipped gradients, moments): 26 bytes a parameter (22 with a MATMUL kernel). */
  fixedBytes: number;
  /** Activations of one micro-batch at the step's peak. */
  activationBytes: number;
  totalBytes: number;
}

/** The estimate above for micro-batches of `rows` sequences of `seq` input tokens. */
export function trainingMemory(config: TokenFormerConfig, rows: number, seq: number): TrainingMemory {
  const d = config.hiddenSize;
  const H = config.numAttentionHeads;
  let floatsPerToken = 9.5 * config.vocabSize;
  for (const s of config.layers) {
    const tokens = s.query.paramTokenNum + s.key.paramTokenNum + s.value.paramTokenNum + s.proj.paramTokenNum + s.ffn.paramTokenNum;
    floatsPerToken += 104 * d + 6 * tokens + 7 * H * seq;
  }
  const fixedBytes = (hasKernel(MATMUL) ? 22 : 26) * countParams(config);
  const activationBytes = 4 * floatsPerToken * rows * seq;
  return { fixedBytes, activationBytes, totalBytes: fixedBytes + activationBytes };
}

/** Throws TrainerConfigError when a step on [rows, seq] micro-batches would not fit the active backend's memory. */
export function checkTrainingFits(config: TokenFormerConfig, rows: number, seq: number): void {
  const { maxTrainingBytes: limit, maxTensorBytes } = activeBackendTraits();
  const logits = 4 * rows * seq * config.vocabSize; // the step's largest tensor (and its gradient's)
  if (maxTensorBytes !== undefined && logits > maxTensorBytes) {
    const maxRows = Math.floor(maxTensorBytes / (4 * seq * config.vocabSize));
    throw new TrainerConfigError(
      `a training step on micro-batches of ${rows} x ${seq} tokens makes logits of ${(logits / 2 ** 20).toFixed(0)} MiB [${rows * seq}, ${config.vocabSize}], ` +
        `over the ${(maxTensorBytes / 2 ** 20).toFixed(0)} MiB one buffer can hold on this ${tf.getBackend()} device: ` +
        (maxRows >= 1 ? `use at most ${maxRows} rows per micro-batch (more micro-batches keep the step's size)` : 'use shorter sequences'),
    );
  }
  if (limit === undefined) return;
  const m = trainingMemory(config, rows, seq);
  if (m.totalBytes <= limit) return;
  const perRow = m.activationBytes / rows;
  const maxRows = Math.floor((limit - m.fixedBytes) / perRow);
  const gb = (b: number) => (b / 1e9).toFixed(2);
  throw new TrainerConfigError(
    `a training step on micro-batches of ${rows} x ${seq} tokens needs about ${gb(m.totalBytes)} GB on the ${tf.getBackend()} backend ` +
      `(${gb(m.fixedBytes)} GB for the parameters, their gradients and AdamW's moments, ${gb(m.activationBytes)} GB of activations), over the ` +
      `${gb(limit)} GB it can use: ` +
      (maxRows >= 1 ? `use at most ${maxRows} rows per micro-batch (more micro-batches keep the step's size), ` : '') +
      'shorter sequences, or a GPU backend (webgpu, tfjs-node-gpu)',
  );
}
