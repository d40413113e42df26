// Learning-rate schedules, as GPT-NeoX's `AnnealingLR.get_lr` (megatron/learning_rates.py): a
// linear warmup from 0, then constant, linear or cosine decay to `endIter`, never below `minLr`.
import { TrainerConfigError } from './errors.js';

export interface ScheduleOptions {
  /** Peak learning rate (official 6e-4). */
  maxLr: number;
  /** Floor (official 6e-5, 0.1× the peak). Default 0. */
  minLr?: number;
  /** Warmup steps: lr = maxLr · step / warmup while step ≤ warmup (official: 1% of training). */
  warmupSteps?: number;
  /** The step where the decay ends (official: the training length). */
  decaySteps: number;
  /** Default 'cosine'. */
  style?: 'cosine' | 'linear' | 'constant';
}

export type Schedule = (step: number) => number;

export function learningRateSchedule(options: ScheduleOptions): Schedule {
  const { maxLr, decaySteps } = options;
  const minLr = options.minLr ?? 0;
  const warmup = options.warmupSteps ?? 0;
  const style = options.style ?? 'cosine';
  if (!(maxLr > 0) || !Number.isFinite(maxLr)) throw new TrainerConfigError(`schedule: maxLr = ${maxLr} must be a positive number`);
  if (!(minLr >= 0 && minLr <= maxLr)) throw new TrainerConfigError(`schedule: minLr = ${minLr} must be in [0, maxLr = ${maxLr}]`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new TrainerConfigError(`schedule: warmupSteps = ${warmup} must be an integer >= 0`);
  if (!Number.isInteger(decaySteps) || decaySteps <= warmup) throw new TrainerConfigError(`schedule: decaySteps = ${decaySteps} must be an integer > warmupSteps = ${warmup}`);
  if (!['cosine', 'linear', 'constant'].includes(style)) throw new TrainerConfigError(`schedule: style = ${JSON.stringify(style)} must be cosine, linear or constant`);
  return (step: number): number => {
    if (warmup > 0 && step <= warmup) return (maxLr * step) / warmup;
    // past decaySteps the rate holds at its end value (GPT-NeoX's cosine would rise again there;
    // its runs never go past the end)
    const span = decaySteps - warmup;
    const t = Math.min(step - warmup, span);
    let lr: number;
    if (style === 'linear') lr = (maxLr * (span - t)) / span;
    else if (style === 'cosine') lr = minLr + ((maxLr - minLr) / 2) * (Math.cos((Math.PI * t) / span) + 1);
    else lr = maxLr;
    return Math.max(lr, minLr);
  };
}
