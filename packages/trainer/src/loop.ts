// The training loop, nanoGPT's shape: for each step, the learning rate from the schedule, the
// micro-batches, one TrainStep (accumulate, clip, AdamW), then periodic validation and
// checkpoints. No UI: it reports through callbacks, which apps render.
import * as tf from '@tensorflow/tfjs-core';
import type { TokenFormer } from '@tokenformer/model';
import { TrainerConfigError } from './errors.js';
import type { Schedule } from './schedule.js';
import type { StepResult, TokenBatch, TrainStep } from './trainStep.js';

export interface StepEvent extends StepResult {
  step: number;
  totalSteps: number;
  /** Tokens trained on in this step (targets), and per second over it. */
  tokens: number;
  tokensPerSec: number;
  /** Live tensors after the step (flat in a healthy run). */
  numTensors: number;
  seconds: number;
}

export interface ValidationEvent {
  step: number;
  loss: number;
  tokens: number;
}

export interface LoopOptions {
  model: TokenFormer;
  trainStep: TrainStep;
  schedule: Schedule;
  /** The learning rate of the tokens the last growth added, from the step and its rate (default: the same). */
  newTokenLr?: (step: number, lr: number) => number;
  /** Step to stop after. */
  totalSteps: number;
  /** The last step already done (a resumed run), default 0. */
  startStep?: number;
  /** Micro-batches per step (gradient accumulation). Default 1. */
  microBatches?: number;
  /** The next training batch (e.g. `sampler.next()`); null ends the run early. */
  nextBatch: () => TokenBatch | null;
  /** Validation every `every` steps (and at the last step) on `batches()`. */
  validation?: { every: number; batches: () => TokenBatch[] };
  /** Called after validation / every `checkpointEvery` steps and at the end, to save. */
  checkpointEvery?: number;
  onCheckpoint?: (step: number, validationLoss: number | null) => Promise<void>;
  onStep?: (e: StepEvent) => void;
  onValidation?: (e: ValidationEvent) => void;
  /** Checked after every step: true stops the run there, with a checkpoint (an interruption). */
  shouldStop?: (step: number) => boolean;
}

/** Mean next-token loss of `batches` (no gradients; nothing kept). */
export async function validationLoss(model: TokenFormer, batches: TokenBatch[]): Promise<{ loss: number; tokens: number }> {
  let sum = 0;
  let tokens = 0;
  for (const b of batches) {
    const loss = tf.tidy(() => model.loss(tf.tensor2d(b.data, b.shape, 'int32'))); // scalar, mean over [B, T]
    const n = b.shape[0] * (b.shape[1] - 1);
    sum += (await loss.data())[0]! * n;
    loss.dispose();
    tokens += n;
  }
  return { loss: sum / tokens, tokens };
}

export async function trainLoop(o: LoopOptions): Promise<{ lastStep: number; lastValidationLoss: number | null }> {
  const micro = o.microBatches ?? 1;
  if (!Number.isInteger(micro) || micro < 1) throw new TrainerConfigError(`microBatches = ${micro} must be an integer >= 1`);
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) throw new TrainerConfigError(`totalSteps = ${o.totalSteps} must be an integer >= 1`);
  let step = o.startStep ?? 0;
  let lastVal: number | null = null;
  while (step < o.totalSteps) {
    const batches: TokenBatch[] = [];
    for (let i = 0; i < micro; i++) {
      const b = o.nextBatch();
      if (b === null) break;
      batches.push(b);
    }
    if (batches.length < micro) break; // the data ran out
    step++;
    const t0 = performance.now();
    const lr = o.schedule(step);
    const r = await o.trainStep.run(batches, lr, o.newTokenLr ? o.newTokenLr(step, lr) : lr);
    const seconds = (performance.now() - t0) / 1000;
    const tokens = batches.reduce((n, b) => n + b.shape[0] * (b.shape[1] - 1), 0);
    o.onStep?.({ ...r, step, totalSteps: o.totalSteps, tokens, tokensPerSec: tokens / seconds, numTensors: tf.memory().numTensors, seconds });
    const last = step === o.totalSteps;
    const interrupted = !last && (o.shouldStop?.(step) ?? false);
    let validated = false;
    if (o.validation && (step % o.validation.every === 0 || last)) {
      const v = await validationLoss(o.model, o.validation.batches());
      lastVal = v.loss;
      validated = true;
      o.onValidation?.({ step, loss: v.loss, tokens: v.tokens });
    }
    if (o.onCheckpoint && (last || interrupted || (o.checkpointEvery !== undefined && step % o.checkpointEvery === 0))) {
      await o.onCheckpoint(step, validated ? lastVal : null);
    }
    if (interrupted) break;
  }
  return { lastStep: step, lastValidationLoss: lastVal };
}
