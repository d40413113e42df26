// Opening a run: resuming it from its `latest` checkpoint (with the settings it was trained with),
// starting it from another checkpoint (`initFrom`), or from a fresh model; then its data and its
// AdamW state.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { GptSampler, IndexedDataset, type SamplerCursor } from '@tokenformer/data/node';
import { TokenFormer, validateConfig, type TokenFormerConfig } from '@tokenformer/model';
import { loadCheckpoint } from '@tokenformer/model/node';
import { TrainerConfigError } from './errors.js';
import { deserializeOptimizerState } from './optimizerFile.js';
import { readRunPointer } from './runDirectory.js';
import { OPTIMIZER_FILE, parseTrainerState, TRAINER_STATE_FILE, type RunSettings, type TrainerState } from './runState.js';
import type { TokenBatch, TrainStep } from './trainStep.js';

/**
 * Settings that may differ when a run is resumed. The step count may not: the sampler's order and
 * the schedule depend on it (training longer is a new run that starts from a checkpoint).
 */
const RESUMABLE = new Set<keyof RunSettings>(['validEvery', 'checkpointEvery', 'keepLast', 'maxNonFiniteSteps', 'trainData', 'validData', 'initFrom', 'initOptimizer']);

/** JSON with sorted keys, to compare configs whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export interface OpenedRun {
  model: TokenFormer;
  /** The trainer state of the checkpoint resumed from; null for a new run. */
  state: TrainerState | null;
  /** The checkpoint resumed from; null for a new run. */
  latest: string | null;
}

/** The run's model and state (see above). The caller disposes the model. */
export async function openRun(runDir: string, config: TokenFormerConfig, settings: RunSettings): Promise<OpenedRun> {
  const latest = readRunPointer(runDir, 'latest');
  if (latest) {
    const model = await loadCheckpoint(latest);
    let state: TrainerState;
    try {
      state = parseTrainerState(readFileSync(join(latest, TRAINER_STATE_FILE), 'utf8'), join(latest, TRAINER_STATE_FILE));
    } catch (e) {
      model.dispose();
      throw e;
    }
    const mismatch = (Object.keys(settings) as (keyof RunSettings)[])
          .filter((k) => !RESUMABLE.has(k) && JSON.stringify(settings[k]) !== JSON.stringify(state.settings[k]))
          .map((k) => `${runDir} was trained with ${k} = ${JSON.stringify(state.settings[k])}, now ${JSON.stringify(settings[k])}: use another run directory, or the same ${k}`)[0];
    if (mismatch) {
      model.dispose();
      throw new TrainerConfigError(mismatch);
    }
    return { model, state, latest };
  }
  if (settings.initFrom) {
    const model = await loadCheckpoint(settings.initFrom);
    if (canonical(model.config) !== canonical(validateConfig(structuredClone(config)))) {
      model.dispose();
      throw new TrainerConfigError(`initFrom ${settings.initFrom}: its model config differs from the one given (pass the checkpoint's config)`);
    }
    return { model, state: null, latest: null };
  }
  return { model: new TokenFormer(config, { seed: settings.seed }), state: null, latest: null };
}

/** Loads the AdamW moments the run resumes with: its latest checkpoint's, or initFrom's when asked and there. */
export function restoreOptimizer(trainStep: TrainStep, settings: RunSettings, latest: string | null): void {
  const load = (dir: string): void => {
    const file = join(dir, OPTIMIZER_FILE);
    let state: ReturnType<typeof deserializeOptimizerState> | undefined;
    try {
      state = deserializeOptimizerState(new Uint8Array(readFileSync(file)));
      trainStep.loadState(state);
    } catch (e) {
      if (e instanceof Error && !e.message.includes(file)) e.message = `${file}: ${e.message}`;
      throw e;
    } finally {
      if (state) tf.dispose([...state.moments.values()]);
    }
  };
  if (latest) load(latest);
  else if (settings.initFrom && settings.initOptimizer !== false && existsSync(join(settings.initFrom, OPTIMIZER_FILE))) load(settings.initFrom);
}

export interface RunData {
  sampler: GptSampler;
  /** Whether the run has validation data. */
  validation: boolean;
  /** The fixed validation batches. */
  validBatches: TokenBatch[];
  close(): void;
}

/**
 * A run's validation batches: the first `validBatches` batches of the validation dataset, sampled
 * with seed + 1 (the same for every run of these settings, whatever the model).
 */
export function validationBatches(valid: IndexedDataset, settings: Pick<RunSettings, 'seqLength' | 'batchSize' | 'seed' | 'validBatches'>): TokenBatch[] {
  const vs = new GptSampler(valid, { seqLength: settings.seqLength, batchSize: settings.batchSize, seed: settings.seed + 1 });
  return Array.from({ length: Math.min(settings.validBatches, vs.numBatches) }, (_, b) => vs.batch(b));
}

/** The training sampler (resumed from the state's cursor) and the validation batches. */
export function openRunData(settings: RunSettings, state: TrainerState | null): RunData {
  const train = IndexedDataset.open(settings.trainData);
  const valid = settings.validData ? IndexedDataset.open(settings.validData) : null;
  const numSamples = settings.steps * settings.microBatches * settings.batchSize;
  const sampler = state
    ? GptSampler.resume(train, state.samplerCursor as SamplerCursor)
    : new GptSampler(train, { seqLength: settings.seqLength, batchSize: settings.batchSize, seed: settings.seed, numSamples });
  const validBatches = valid ? validationBatches(valid, settings) : [];
  return {
    sampler,
    validation: valid !== null,
    validBatches,
    close: () => {
      train.close();
      valid?.close();
    },
  };
}
