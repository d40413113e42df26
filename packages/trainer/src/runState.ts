// What a training run stores beside each checkpoint: trainer_state.json (step, the run's settings,
// the data cursor, best validation loss); optimizer.safetensors is optimizerFile.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { TokenFormer } from '@tokenformer/model';
import { TrainerConfigError } from './errors.js';

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
  /**
   * Grow the model once this step is done, or once each of these steps (increasing) is done, through
   * `RunHooks.grow` (0, [] or absent: never).
   */
  growAt?: number | number[];
  /**
   * The learning rate after a growth: `continue` (default) the run's schedule, or `rewarmup`: the
   * warmup again, then the decay over the remaining steps.
   */
  growSchedule?: 'continue' | 'rewarmup';
  /** The learning rate of the parameter tokens the last growth added, as a multiple of the run's (default 1). */
  newTokenLrScale?: number;
  /**
   * Over this many steps after a growth, the new tokens' learning rate rises linearly from 0 to
   * its value (the other parameters keep the run's); default 0, no warmup of their own.
   */
  newTokenWarmupSteps?: number;
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
  /** The step after which the model last grew (one of settings.growAt), once it has; absent before. */
  grownAt?: number;
  /** The rows that growth added: by parameter name, the first new row (TrainStep.newRows). */
  newRows?: Record<string, number>;
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

/**
 * trainer_state.json of a checkpoint, checked before it is trusted: its format, the settings it was
 * trained with, a step within them, counters that are counts, and a sampler cursor at the batch that
 * step reached (`step · microBatches`). Every failure names the file and the field.
 */
export function parseTrainerState(text: string, file: string): TrainerState {
  const fail = (field: string, message: string): never => {
    throw new TrainerConfigError(`${file}: ${field}: ${message}`);
  };
  let state: Partial<TrainerState>;
  try {
    state = JSON.parse(text) as Partial<TrainerState>;
  } catch (e) {
    return fail('(file)', `not JSON (${(e as Error).message})`);
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return fail('(file)', 'not a JSON object');
  if (state.format !== 'tokenformer-trainer/1') fail('format', `unknown trainer state format ${JSON.stringify(state.format)}`);
  const settings = state.settings;
  if (typeof settings !== 'object' || settings === null) return fail('settings', 'missing (the settings the run was trained with)');
  if (!Number.isInteger(settings.steps) || settings.steps < 1) fail('settings.steps', `${JSON.stringify(settings.steps)} is not a step count`);
  if (!Number.isInteger(settings.microBatches) || settings.microBatches < 1) fail('settings.microBatches', `${JSON.stringify(settings.microBatches)} is not a count`);
  const step = state.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > settings.steps) fail('step', `${JSON.stringify(step)} must be an integer in [0, ${settings.steps}] (settings.steps)`);
  if (!Number.isInteger(state.nonFiniteSteps) || state.nonFiniteSteps! < 0) fail('nonFiniteSteps', `${JSON.stringify(state.nonFiniteSteps)} is not a count`);
  for (const key of ['bestValidationLoss', 'bestStep'] as const) {
    const v = state[key];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) fail(key, `${JSON.stringify(v)} must be a finite number or null`);
  }
  const cursor = state.samplerCursor as { nextBatch?: unknown } | undefined;
  if (typeof cursor !== 'object' || cursor === null) return fail('samplerCursor', 'missing');
  if (cursor.nextBatch !== step! * settings.microBatches) fail('samplerCursor.nextBatch', `${JSON.stringify(cursor.nextBatch)} is not the batch step ${step} reached (${step! * settings.microBatches})`);
  return state as TrainerState;
}
