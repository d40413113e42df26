// What a training run stores beside each checkpoint: trainer_state.json (step, the run's settings,
// the data cursor, best validation loss); optimizer.safetensors is optimizerFile.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { TokenFormer } from '@tokenformer/model';

export const TRAINER_STATE_FILE = 'trainer_state.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';

/** The settings of a run (what `train` reads from a config file plus overrides). */
export interface RunSettings {
  seed: number;
  /** Data: `<prefix>` of the training indexed dataset, and optionally of the validation one. */
  trainData: string;
  validData?: string;
  seqLength: number;
  batchSize: number;
  microBatches: number;
  steps: number;
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  /** Default: `steps`. */
  decaySteps?: number;
  schedule: 'cosine' | 'linear' | 'constant';
  weightDecay: number;
  clip: number;
  beta1: number;
  beta2: number;
  eps: number;
  validEvery: number;
  validBatches: number;
  checkpointEvery: number;
  keepLast: number;
  maxNonFiniteSteps: number;
  /**
   * A checkpoint directory to start a new run from instead of a fresh model (e.g. a grown one);
   * its config is the run's model. '' or absent: a fresh model.
   */
  initFrom?: string;
  /** With `initFrom`: also load the AdamW moments saved beside it, when there (default true). */
  initOptimizer?: boolean;
  /** Grow the model once this step is done (0 or absent: never), through `RunHooks.grow`. */
  growAt?: number;
  /**
   * The learning rate after growth: `continue` (default) the run's schedule, or `rewarmup`: the
   * warmup again, then the decay over the remaining steps.
   */
  growSchedule?: 'continue' | 'rewarmup';
}

export interface TrainerState {
  format: 'tokenformer-trainer/1';
  step: number;
  settings: RunSettings;
  /** The training sampler's cursor (see @tokenformer/data). */
  samplerCursor: unknown;
  bestValidationLoss: number | null;
  bestStep: number | null;
  nonFiniteSteps: number;
  backend: string;
  /** The step after which the model grew (settings.growAt), once it has; absent before. */
  grownAt?: number;
}

/** True when every weight is finite (checked before a checkpoint is written). */
export async function weightsFinite(model: TokenFormer): Promise<boolean> {
  for (const { variable } of model.namedVariables().values()) {
    const ok = tf.tidy(() => tf.all(tf.isFinite(variable)));
    const v = (await ok.data())[0];
    ok.dispose();
    if (!v) return false;
  }
  return true;
}
