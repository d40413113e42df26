// @tokenformer/trainer/node: a training run in a run directory (DESIGN.md's contract):
//   checkpoints/<step>/   config.json, model.safetensors, optimizer.safetensors, trainer_state.json
//   latest, best          the checkpoint directories (relative paths, one line)
//   metrics.jsonl         one JSON object per step and per validation
// A run directory that already has `latest` is resumed from it, bit-identically on the same backend.
// runTraining has nanoGPT's shape: open the run (runOpen.ts), loop (loop.ts), write checkpoints as it
// goes (runRecord.ts), and grow at each step of growAt (runGrowth.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { TokenFormerConfig } from '@tokenformer/model';
import { TrainerConfigError } from './errors.js';
import { trainLoop, type StepEvent, type ValidationEvent } from './loop.js';
import { growRun, newTokenLearningRate, runSchedule } from './runGrowth.js';
import { openRun, openRunData, restoreOptimizer, type RunData } from './runOpen.js';
import { RunRecord } from './runRecord.js';
import { completeRunSettings, growSteps, type RunSettingsInput } from './runSettings.js';
import { TrainStep, type GrowFunction } from './trainStep.js';

export { completeRunSettings, DEFAULT_RUN_SETTINGS, type RunSettingsInput } from './runSettings.js';
export { OPTIMIZER_FILE, parseTrainerState, TRAINER_STATE_FILE, type RunSettings, type TrainerState } from './runState.js';
export { readRunPointer, resolveCheckpoint, writeRunPointer, type RunPointer } from './runDirectory.js';
export { validationBatches } from './runOpen.js';
export { pruneCheckpoints } from './runRecord.js';

export interface RunHooks {
  onStep?: (e: StepEvent) => void;
  onValidation?: (e: ValidationEvent) => void;
  onCheckpoint?: (dir: string, step: number) => void;
  /** Checked after every step: true stops the run there with a checkpoint (e.g. on SIGINT). */
  shouldStop?: (step: number) => boolean;
  /** Called once with what the run starts from. */
  onStart?: (info: { resumedFrom: string | null; step: number; params: number; backend: string }) => void;
  /**
   * At each step of `settings.growAt`: the growth, as `TrainStep.grow` takes it (config, weights and moments in
   * the one layout to grown ones), e.g. `(c, w, m) => grow(c, w, { add: { ffn: 64 } }, m)` with
   * @tokenformer/growth. The run disposes the old model.
   */
  grow?: GrowFunction;
  /** Called after the model grew. */
  onGrow?: (info: { step: number; paramsBefore: number; paramsAfter: number }) => void;
}

export interface RunResult {
  runDir: string;
  lastStep: number;
  lastValidationLoss: number | null;
  firstValidationLoss: number | null;
  bestValidationLoss: number | null;
  latest: string;
}

/**
 * Train `config` (used for a new run) with `input` (completed by completeRunSettings) in `runDir`, resuming from `runDir/latest`
 * when it exists. `extraFiles` (e.g. tokenizer.json) go into every checkpoint.
 */
export async function runTraining(
  runDir: string,
  config: TokenFormerConfig,
  input: RunSettingsInput,
  hooks: RunHooks = {},
  extraFiles: Record<string, string | Uint8Array> = {},
): Promise<RunResult> {
  const settings = completeRunSettings(input, config);
  const grows = growSteps(settings);
  if (grows.length > 0 && !hooks.grow) throw new TrainerConfigError(`growAt = ${JSON.stringify(settings.growAt)} needs a grow hook (the app's growth)`);
  for (const [key, prefix] of [['trainData', settings.trainData], ['validData', settings.validData]] as const) {
    if (prefix !== undefined && !existsSync(`${prefix}.idx`)) throw new TrainerConfigError(`${key}: ${prefix}.idx does not exist (an indexed dataset's prefix)`);
  }
  mkdirSync(join(runDir, 'checkpoints'), { recursive: true });
  const opened = await openRun(runDir, config, settings);
  const { state, latest } = opened;
  let model = opened.model;
  let trainStep = new TrainStep(model, settings);
  let data: RunData | undefined;
  try {
    data = openRunData(settings, state);
    const { sampler, validation, validBatches } = data;
    restoreOptimizer(trainStep, settings, latest);
    if (state?.newRows) trainStep.newRows = new Map(Object.entries(state.newRows));
    const record = new RunRecord(runDir, settings, state, latest, tf.getBackend(), extraFiles);
    hooks.onStart?.({ resumedFrom: latest, step: state?.step ?? 0, params: model.countParams(), backend: record.backend });

    const checkpoint = async (step: number, validationLoss: number | null): Promise<void> => {
      const dir = await record.writeCheckpoint(model, trainStep, sampler, step, validationLoss);
      hooks.onCheckpoint?.(dir, step);
    };
    const loop = (startStep: number, totalSteps: number) =>
      trainLoop({
        model,
        trainStep,
        schedule: runSchedule(settings),
        newTokenLr: newTokenLearningRate(settings),
        totalSteps,
        startStep,
        microBatches: settings.microBatches,
        nextBatch: () => sampler.next(),
        ...(validation ? { validation: { every: settings.validEvery, batches: () => validBatches } } : {}),
        checkpointEvery: settings.checkpointEvery,
        ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
        onStep: (e) => {
          record.log({ type: 'step', step: e.step, loss: e.loss, lr: e.lr, gradNorm: e.gradNorm, skipped: e.skipped, tokensPerSec: e.tokensPerSec, numTensors: e.numTensors });
          hooks.onStep?.(e);
        },
        onValidation: (e) => {
          record.firstValidationLoss ??= e.loss;
          record.log({ type: 'validation', step: e.step, loss: e.loss, tokens: e.tokens });
          hooks.onValidation?.(e);
        },
        onCheckpoint: checkpoint,
      });

    let step = state?.step ?? 0;
    let result = { lastStep: step, lastValidationLoss: null as number | null };
    let stop = false;
    for (const growAt of grows) {
      if (stop || growAt < step || (record.grownAt !== undefined && growAt <= record.grownAt)) continue; // done before a resume
      if (step < growAt) {
        result = await loop(step, growAt);
        step = result.lastStep;
        stop = step < growAt || (hooks.shouldStop?.(step) ?? false); // the data ran out, or an interruption
        if (stop) break;
      }
      const grown = growRun(trainStep, hooks.grow!);
      ({ model, trainStep } = grown);
      record.grownAt = step;
      record.log({ type: 'growth', step, paramsBefore: grown.paramsBefore, paramsAfter: grown.paramsAfter });
      hooks.onGrow?.({ step, paramsBefore: grown.paramsBefore, paramsAfter: grown.paramsAfter });
      await checkpoint(step, null); // the grown model, at the same step
    }
    if (!stop && step < settings.steps) result = await loop(step, settings.steps);
    return {
      runDir,
      lastStep: result.lastStep,
      lastValidationLoss: result.lastValidationLoss,
      firstValidationLoss: record.firstValidationLoss,
      bestValidationLoss: record.best,
      latest: record.latestDir,
    };
  } finally {
    trainStep.dispose();
    model.dispose();
    data?.close();
  }
}
