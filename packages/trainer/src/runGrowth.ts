// The growth steps of a run: at each step of `growAt`, the app's growth (a GrowFunction) turns the
// model and its AdamW state into bigger ones through TrainStep.grow; the new step takes over. The
// learning-rate schedule either continues or warms up again over the remaining steps (`growSchedule`);
// the tokens a growth added may take a learning rate of their own (`newTokenLrScale`, warmed up over
// `newTokenWarmupSteps`).
import { learningRateSchedule, type Schedule } from './schedule.js';
import type { RunSettings } from './runState.js';
import { growSteps } from './runSettings.js';
import type { GrowFunction, TrainStep } from './trainStep.js';
import type { TokenFormer } from '@tokenformer/model';

export interface Grown {
  model: TokenFormer;
  trainStep: TrainStep;
  paramsBefore: number;
  paramsAfter: number;
}

/** Grows the run's model and optimizer through `grow`, disposing the old ones. */
export function growRun(trainStep: TrainStep, grow: GrowFunction): Grown {
  const paramsBefore = trainStep.model.countParams();
  const next = trainStep.grow(grow);
  return { model: next.model, trainStep: next, paramsBefore, paramsAfter: next.model.countParams() };
}

/** The last growth step before `step` (0 when none). */
function lastGrowthBefore(steps: number[], step: number): number {
  let last = 0;
  for (const g of steps) if (g < step) last = g;
  return last;
}

/** The run's learning rate by step: its schedule, re-warmed after each growth when `growSchedule` is 'rewarmup'. */
export function runSchedule(settings: RunSettings): Schedule {
  const grows = growSteps(settings);
  const decaySteps = settings.decaySteps ?? settings.steps;
  const over = (steps: number) => learningRateSchedule({ maxLr: settings.maxLr, minLr: settings.minLr, warmupSteps: settings.warmupSteps, decaySteps: steps, style: settings.schedule });
  const base = over(decaySteps);
  if (grows.length === 0 || settings.growSchedule !== 'rewarmup') return base;
  const rewarm = new Map(grows.map((g) => [g, over(decaySteps - g)]));
  return (step: number) => {
    const g = lastGrowthBefore(grows, step);
    return g === 0 ? base(step) : rewarm.get(g)!(step - g);
  };
}

/**
 * The learning rate of the tokens the last growth added, at `step` whose run rate is `lr`:
 * `lr · newTokenLrScale`, times (step - growth) / newTokenWarmupSteps while that is under 1.
 */
export function newTokenLearningRate(settings: RunSettings): (step: number, lr: number) => number {
  const grows = growSteps(settings);
  const scale = settings.newTokenLrScale ?? 1;
  const warmup = settings.newTokenWarmupSteps ?? 0;
  return (step, lr) => {
    const since = step - lastGrowthBefore(grows, step);
    return lr * scale * (warmup > 0 ? Math.min(1, since / warmup) : 1);
  };
}
