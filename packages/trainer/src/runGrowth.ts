// The growth step of a run: at `growAt`, the app's grow hook turns the model and its AdamW state into
// bigger ones; a new TrainStep takes over, its non-finite count carried on. The learning-rate schedule
// either continues or warms up again over the remaining steps (`growSchedule`).
import { learningRateSchedule, type Schedule } from './schedule.js';
import { loadOptimizer, serializeOptimizer, type RunSettings } from './runState.js';
import { TrainStep } from './trainStep.js';
import type { TokenFormer } from '@tokenformer/model';

export type GrowHook = (model: TokenFormer, optimizer: Uint8Array) => Promise<{ model: TokenFormer; optimizer: Uint8Array }>;

export interface Grown {
  model: TokenFormer;
  trainStep: TrainStep;
  paramsBefore: number;
  paramsAfter: number;
}

/** Grows `model` through `grow`, disposing the old model and step. */
export async function growRun(model: TokenFormer, trainStep: TrainStep, settings: RunSettings, grow: GrowHook): Promise<Grown> {
  const paramsBefore = model.countParams();
  const grown = await grow(model, await serializeOptimizer(model, trainStep.optimizer));
  const nonFinite = trainStep.nonFiniteTotal;
  trainStep.dispose();
  model.dispose();
  const next = new TrainStep(grown.model, settings);
  next.nonFiniteTotal += nonFinite;
  loadOptimizer(grown.model, next.optimizer, grown.optimizer);
  return { model: grown.model, trainStep: next, paramsBefore, paramsAfter: grown.model.countParams() };
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
