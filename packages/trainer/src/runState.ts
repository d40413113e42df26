// What a training run stores beside each checkpoint: trainer_state.json (step, the run's settings,
// the data cursor, best validation loss) and optimizer.safetensors (AdamW moments in the
// checkpoint layout, so growth can extend them like the weights).
import * as tf from '@tensorflow/tfjs-core';
import { parseSafetensors, serializeSafetensors, toFloat32, type TokenFormer } from '@tokenformer/model';
import type { AdamW } from './adamw.js';
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

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * A moment in the other layout (the variable's, or the checkpoint's): the moments of key tokens,
 * whose variables hold the transpose, are transposed; the rest stay as they are.
 */
function otherLayout(named: ReturnType<TokenFormer['namedVariables']>, key: string, shape: number[], data: Float32Array): { shape: number[]; data: Float32Array } {
  const name = key.replace(/\.exp_avg(_sq)?$/, '');
  return named.get(name)?.transposed ? { shape: [shape[1]!, shape[0]!], data: transpose2d(data, shape[0]!, shape[1]!) } : { shape, data };
}

/** optimizer.safetensors bytes: moments by `<name>.exp_avg(_sq)`, key tokens in the official [n, d] layout. */
export async function serializeOptimizer(model: TokenFormer, optimizer: AdamW): Promise<Uint8Array> {
  const named = model.namedVariables();
  const state = optimizer.stateTensors();
  const out = [];
  for (const [key, t] of state) out.push({ name: key, ...otherLayout(named, key, t.shape, (await t.data()) as Float32Array) });
  tf.dispose([...state.values()]);
  return serializeSafetensors(out, { step: String(optimizer.step) });
}

/** Restore AdamW from optimizer.safetensors bytes. */
export function loadOptimizer(model: TokenFormer, optimizer: AdamW, bytes: Uint8Array): void {
  const file = parseSafetensors(bytes);
  const step = Number(file.metadata.step);
  if (!Number.isInteger(step) || step < 0) throw new TrainerConfigError(`optimizer state: metadata step = ${file.metadata.step} is not a step count`);
  const named = model.namedVariables();
  const state = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [key, entry] of file.tensors) state.set(key, otherLayout(named, key, entry.shape, toFloat32(entry, key)));
  optimizer.loadState(step, state);
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
