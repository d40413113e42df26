// The growth step of a run: at `growAt`, the app's growth (a GrowFunction) turns the model and its
// AdamW state into bigger ones through TrainStep.grow; the new step takes over. The learning-rate schedule
// either continues or warms up again over the remaining steps (`growSchedule`).
import { learningRateSchedule, type Schedule } from './schedule.js';
import type { RunSettings } from './runState.js';
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

/** The run's learning rate by step: its schedule, re-warmed after growAt when `growSchedule` is 'rewarmup'. */
export function runSchedule(settings: RunSettings): Schedule {
  const growAt = settings.growAt ?? 0;
  const decaySteps = settings.decaySteps ?? settings.steps;
  const over = (steps: number) => learningRateSchedule({ maxLr: settings.maxLr, minLr: settings.minLr, warmupSteps: settings.warmupSteps, decaySteps: steps, style: settings.schedule });
  const base = over(decaySteps);
  if (!growAt || settings.growSchedule !== 'rewarmup') return base;
  const rewarm = over(decaySteps - growAt);
  return (step: number) => (step > growAt ? rewarm(step - growAt) : base(step));
}
