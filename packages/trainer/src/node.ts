// @tokenformer/trainer/node: a training run in a run directory (DESIGN.md's contract):
//   checkpoints/<step>/   config.json, model.safetensors, optimizer.safetensors, trainer_state.json
//   latest, best          the checkpoint directories (relative paths, one line)
//   metrics.jsonl         one JSON object per step and per validation
// A run directory that already has `latest` is resumed from it, bit-identically on the same backend.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { GptSampler, IndexedDataset, type SamplerCursor } from '@tokenformer/data/node';
import { TokenFormer, validateConfig, type TokenFormerConfig } from '@tokenformer/model';
import { loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { NonFiniteError, TrainerConfigError } from './errors.js';
import { trainLoop, type StepEvent, type ValidationEvent } from './loop.js';
import { loadOptimizer, OPTIMIZER_FILE, type RunSettings, serializeOptimizer, TRAINER_STATE_FILE, type TrainerState, weightsFinite } from './runState.js';
import { learningRateSchedule } from './schedule.js';
import { TrainStep, type TokenBatch } from './trainStep.js';

export { OPTIMIZER_FILE, TRAINER_STATE_FILE, type RunSettings, type TrainerState } from './runState.js';

export interface RunHooks {
  onStep?: (e: StepEvent) => void;
  onValidation?: (e: ValidationEvent) => void;
  onCheckpoint?: (dir: string, step: number) => void;
  /** Checked after every step: true stops the run there with a checkpoint (e.g. on SIGINT). */
  shouldStop?: (step: number) => boolean;
  /** Called once with what the run starts from. */
  onStart?: (info: { resumedFrom: string | null; step: number; params: number; backend: string }) => void;
  /**
   * At `settings.growAt`: the grown model and its AdamW state (optimizer.safetensors bytes, the
   * checkpoint layout) from the current ones. The app supplies it (e.g. with @tokenformer/growth);
   * the run disposes the old model.
   */
  grow?: (model: TokenFormer, optimizer: Uint8Array) => Promise<{ model: TokenFormer; optimizer: Uint8Array }>;
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

/** JSON with sorted keys, to compare configs whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function readPointer(runDir: string, name: 'latest' | 'best'): string | null {
  const p = join(runDir, name);
  return existsSync(p) ? join(runDir, readFileSync(p, 'utf8').trim()) : null;
}

function writePointer(runDir: string, name: 'latest' | 'best', target: string): void {
  const tmp = join(runDir, `.${name}.tmp`);
  writeFileSync(tmp, `${target}\n`);
  renameSync(tmp, join(runDir, name));
}

/**
 * Settings that may differ when a run is resumed. The step count may not: the sampler's order and
 * the schedule depend on it (training longer is a new run that starts from a checkpoint).
 */
const RESUMABLE = new Set<keyof RunSettings>(['validEvery', 'checkpointEvery', 'keepLast', 'maxNonFiniteSteps', 'trainData', 'validData', 'initFrom', 'initOptimizer']);

/**
 * Train `config` (used for a new run) with `settings` in `runDir`, resuming from `runDir/latest`
 * when it exists. `extraFiles` (e.g. tokenizer.json) go into every checkpoint.
 */
export async function runTraining(
  runDir: string,
  config: TokenFormerConfig,
  settings: RunSettings,
  hooks: RunHooks = {},
  extraFiles: Record<string, string | Uint8Array> = {},
): Promise<RunResult> {
  mkdirSync(join(runDir, 'checkpoints'), { recursive: true });
  const latest = readPointer(runDir, 'latest');
  let model: TokenFormer;
  let state: TrainerState | null = null;
  if (latest) {
    model = await loadCheckpoint(latest);
    state = JSON.parse(readFileSync(join(latest, TRAINER_STATE_FILE), 'utf8')) as TrainerState;
    if (state.format !== 'tokenformer-trainer/1') throw new TrainerConfigError(`${latest}: unknown trainer state format ${JSON.stringify(state.format)}`);
    for (const k of Object.keys(settings) as (keyof RunSettings)[]) {
      if (!RESUMABLE.has(k) && JSON.stringify(settings[k]) !== JSON.stringify(state.settings[k])) {
        throw new TrainerConfigError(`${runDir} was trained with ${k} = ${JSON.stringify(state.settings[k])}, now ${JSON.stringify(settings[k])}: use another run directory, or the same ${k}`);
      }
    }
  } else if (settings.initFrom) {
    model = await loadCheckpoint(settings.initFrom);
    if (canonical(model.config) !== canonical(validateConfig(structuredClone(config)))) {
      model.dispose();
      throw new TrainerConfigError(`initFrom ${settings.initFrom}: its model config differs from the one given (pass the checkpoint's config)`);
    }
  } else {
    model = new TokenFormer(config, { seed: settings.seed });
  }
  const growAt = settings.growAt ?? 0;
  if (growAt !== 0) {
    if (!Number.isInteger(growAt) || growAt < 1 || growAt >= settings.steps) throw new TrainerConfigError(`growAt = ${growAt}: grow after a step in 1..${settings.steps - 1}, or 0 for never`);
    if (!hooks.grow) throw new TrainerConfigError(`growAt = ${growAt} needs a grow hook (the app's growth)`);
  }
  let trainStep = new TrainStep(model, settings);
  const train = IndexedDataset.open(settings.trainData);
  const valid = settings.validData ? IndexedDataset.open(settings.validData) : null;
  try {
    if (latest) loadOptimizer(model, trainStep.optimizer, new Uint8Array(readFileSync(join(latest, OPTIMIZER_FILE))));
    else if (settings.initFrom && settings.initOptimizer !== false && existsSync(join(settings.initFrom, OPTIMIZER_FILE))) {
      loadOptimizer(model, trainStep.optimizer, new Uint8Array(readFileSync(join(settings.initFrom, OPTIMIZER_FILE))));
    }
    const numSamples = settings.steps * settings.microBatches * settings.batchSize;
    const sampler = state
      ? GptSampler.resume(train, state.samplerCursor as SamplerCursor)
      : new GptSampler(train, { seqLength: settings.seqLength, batchSize: settings.batchSize, seed: settings.seed, numSamples });
    let validBatches: TokenBatch[] = [];
    if (valid) {
      const vs = new GptSampler(valid, { seqLength: settings.seqLength, batchSize: settings.batchSize, seed: settings.seed + 1 });
      for (let b = 0; b < Math.min(settings.validBatches, vs.numBatches); b++) validBatches.push(vs.batch(b));
    }
    const backend = tf.getBackend();
    const metrics = join(runDir, 'metrics.jsonl');
    const log = (obj: object): void => appendFileSync(metrics, `${JSON.stringify({ ...obj, backend, time: new Date().toISOString() })}\n`);
    let best = state?.bestValidationLoss ?? null;
    let bestStep = state?.bestStep ?? null;
    let firstVal: number | null = null;
    hooks.onStart?.({ resumedFrom: latest, step: state?.step ?? 0, params: model.countParams(), backend });
    const scheduleOver = (decaySteps: number) =>
      learningRateSchedule({ maxLr: settings.maxLr, minLr: settings.minLr, warmupSteps: settings.warmupSteps, decaySteps, style: settings.schedule });
    const base = scheduleOver(settings.decaySteps ?? settings.steps);
    const rewarm = growAt ? scheduleOver((settings.decaySteps ?? settings.steps) - growAt) : base;
    const schedule = (step: number): number => (growAt && step > growAt && settings.growSchedule === 'rewarmup' ? rewarm(step - growAt) : base(step));
    let grownAt = state?.grownAt;
    let lastCkpt = latest ?? '';
    const writeCheckpoint = async (step: number, valLoss: number | null): Promise<void> => {
      if (!(await weightsFinite(model))) throw new NonFiniteError(`step ${step}: the weights hold NaN or Inf; no checkpoint written`);
      const isBest = valLoss !== null && (best === null || valLoss < best);
      if (isBest) {
        best = valLoss;
        bestStep = step;
      }
      const rel = join('checkpoints', String(step));
      const dir = join(runDir, rel);
      const trainerState: TrainerState = {
        format: 'tokenformer-trainer/1',
        step,
        settings,
        samplerCursor: sampler.cursor(),
        bestValidationLoss: best,
        bestStep,
        nonFiniteSteps: (state?.nonFiniteSteps ?? 0) + trainStep.nonFiniteTotal,
        backend,
        ...(grownAt !== undefined ? { grownAt } : {}),
      };
      await saveCheckpoint(model, dir, {
        extraFiles: { ...extraFiles, [OPTIMIZER_FILE]: await serializeOptimizer(model, trainStep.optimizer), [TRAINER_STATE_FILE]: JSON.stringify(trainerState, null, 2) },
      });
      writePointer(runDir, 'latest', rel);
      if (isBest) writePointer(runDir, 'best', rel);
      lastCkpt = dir;
      prune(runDir, settings.keepLast, readPointer(runDir, 'best'));
      log({ type: 'checkpoint', step, dir: rel, best: isBest });
      hooks.onCheckpoint?.(dir, step);
    };
    /** Grow the model in place of the current one, and checkpoint the grown model at the same step. */
    const growNow = async (step: number): Promise<void> => {
      const paramsBefore = model.countParams();
      const grownModel = await hooks.grow!(model, await serializeOptimizer(model, trainStep.optimizer));
      const nonFinite = trainStep.nonFiniteTotal;
      trainStep.dispose();
      model.dispose();
      model = grownModel.model;
      trainStep = new TrainStep(model, settings);
      trainStep.nonFiniteTotal += nonFinite;
      loadOptimizer(model, trainStep.optimizer, grownModel.optimizer);
      grownAt = step;
      const paramsAfter = model.countParams();
      log({ type: 'growth', step, paramsBefore, paramsAfter });
      hooks.onGrow?.({ step, paramsBefore, paramsAfter });
      await writeCheckpoint(step, null);
    };
    const loop = (startStep: number, totalSteps: number) =>
      trainLoop({
        model,
        trainStep,
        schedule,
        totalSteps,
        startStep,
        microBatches: settings.microBatches,
        nextBatch: () => sampler.next(),
        ...(valid ? { validation: { every: settings.validEvery, batches: () => validBatches } } : {}),
        checkpointEvery: settings.checkpointEvery,
        ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
        onStep: (e) => {
          log({ type: 'step', step: e.step, loss: e.loss, lr: e.lr, gradNorm: e.gradNorm, skipped: e.skipped, tokensPerSec: e.tokensPerSec, numTensors: e.numTensors });
          hooks.onStep?.(e);
        },
        onValidation: (e) => {
          firstVal ??= e.loss;
          log({ type: 'validation', step: e.step, loss: e.loss, tokens: e.tokens });
          hooks.onValidation?.(e);
        },
        onCheckpoint: writeCheckpoint,
      });
    let step = state?.step ?? 0;
    let result = { lastStep: step, lastValidationLoss: null as number | null };
    let stop = false;
    if (growAt && step < growAt) {
      result = await loop(step, growAt);
      step = result.lastStep;
      stop = step < growAt || (hooks.shouldStop?.(step) ?? false); // the data ran out, or an interruption
    }
    if (!stop && growAt && step === growAt && grownAt === undefined) await growNow(step);
    if (!stop && step < settings.steps) result = await loop(step, settings.steps);
    return { runDir, lastStep: result.lastStep, lastValidationLoss: result.lastValidationLoss, firstValidationLoss: firstVal, bestValidationLoss: best, latest: lastCkpt };
  } finally {
    trainStep.dispose();
    model.dispose();
    train.close();
    valid?.close();
  }
}

/** Keep the newest `keepLast` checkpoints, and the best one. */
function prune(runDir: string, keepLast: number, best: string | null): void {
  const dir = join(runDir, 'checkpoints');
  const steps = readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => b - a);
  for (const s of steps.slice(keepLast)) {
    const p = join(dir, String(s));
    if (p !== best) rmSync(p, { recursive: true, force: true });
  }
}
