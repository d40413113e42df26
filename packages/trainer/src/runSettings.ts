// A run's settings from what the user gives: the official recipe's values for everything left out
// (AdamW betas 0.9/0.95, eps 1e-8, weight decay 0.1, clipping 1.0, cosine decay from 6e-4 to 6e-5
// after a 1% warmup), each value checked, unknown keys refused, before any file is opened.
import type { TokenFormerConfig } from '@tokenformer/model';
import { TrainerConfigError } from './errors.js';
import type { RunSettings } from './runState.js';

/** What runTraining takes: `trainData` and any settings to change; the rest come from the defaults. */
export type RunSettingsInput = Partial<RunSettings> & Pick<RunSettings, 'trainData'>;

/** Every default; `seqLength` (the model's maxSeqLen) and `warmupSteps` (1% of steps) are derived when absent. */
export const DEFAULT_RUN_SETTINGS: Readonly<Omit<RunSettings, 'trainData' | 'validData' | 'decaySteps' | 'seqLength' | 'warmupSteps'>> = Object.freeze({
  seed: 1234,
  batchSize: 8,
  microBatches: 1,
  steps: 1000,
  maxLr: 6e-4,
  minLr: 6e-5,
  schedule: 'cosine',
  weightDecay: 0.1,
  clip: 1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  validEvery: 100,
  validBatches: 8,
  checkpointEvery: 100,
  keepLast: 2,
  maxNonFiniteSteps: 10,
  initFrom: '',
  initOptimizer: true,
  growAt: 0,
  growSchedule: 'continue',
  newTokenLrScale: 1,
  newTokenWarmupSteps: 0,
});

const COUNTS = ['seqLength', 'batchSize', 'microBatches', 'steps', 'validBatches', 'checkpointEvery', 'keepLast', 'maxNonFiniteSteps'] as const;
const OPTIONAL_COUNTS = ['seed', 'warmupSteps', 'validEvery', 'decaySteps', 'newTokenWarmupSteps'] as const;
const KINDS: Record<keyof RunSettings, 'number' | 'string' | 'boolean'> = {
  seed: 'number', trainData: 'string', validData: 'string', seqLength: 'number', batchSize: 'number', microBatches: 'number', steps: 'number',
  maxLr: 'number', minLr: 'number', warmupSteps: 'number', decaySteps: 'number', schedule: 'string', weightDecay: 'number', clip: 'number',
  beta1: 'number', beta2: 'number', eps: 'number', validEvery: 'number', validBatches: 'number', checkpointEvery: 'number', keepLast: 'number',
  maxNonFiniteSteps: 'number', initFrom: 'string', initOptimizer: 'boolean', growAt: 'number', growSchedule: 'string',
  newTokenLrScale: 'number', newTokenWarmupSteps: 'number',
};

/**
 * `input` completed with the defaults and checked: an unknown key, a value of the wrong type, or one
 * out of range is a TrainerConfigError naming the key, the value and the limit.
 */
export function completeRunSettings(input: RunSettingsInput, config: TokenFormerConfig): RunSettings {
  for (const [key, value] of Object.entries(input)) {
    const kind = KINDS[key as keyof RunSettings];
    if (kind === undefined) throw new TrainerConfigError(`run settings: unknown key ${JSON.stringify(key)} (known: ${Object.keys(KINDS).join(', ')})`);
    if (key === 'growAt' && Array.isArray(value)) continue; // a list of steps; checked below
    if (value !== undefined && typeof value !== kind) throw new TrainerConfigError(`run settings: ${key} = ${JSON.stringify(value)} should be a ${kind}`);
  }
  if (typeof input.trainData !== 'string' || input.trainData === '') throw new TrainerConfigError('run settings: trainData (the prefix of an indexed dataset) is required');
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as RunSettingsInput;
  const steps = defined.steps ?? DEFAULT_RUN_SETTINGS.steps;
  const s: RunSettings = { ...DEFAULT_RUN_SETTINGS, seqLength: config.maxSeqLen, warmupSteps: Math.ceil(steps / 100), ...defined };
  for (const key of COUNTS) if (!Number.isInteger(s[key]) || s[key] < 1) throw new TrainerConfigError(`run settings: ${key} = ${s[key]} must be an integer >= 1`);
  for (const key of OPTIONAL_COUNTS) {
    const v = s[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new TrainerConfigError(`run settings: ${key} = ${v} must be an integer >= 0`);
  }
  if (s.seqLength > config.maxSeqLen) throw new TrainerConfigError(`run settings: seqLength = ${s.seqLength} is over the model's maxSeqLen ${config.maxSeqLen}`);
  if (!(s.maxLr > 0 && Number.isFinite(s.maxLr))) throw new TrainerConfigError(`run settings: maxLr = ${s.maxLr} must be a finite number > 0`);
  if (!(s.minLr >= 0 && s.minLr <= s.maxLr)) throw new TrainerConfigError(`run settings: minLr = ${s.minLr} must be in [0, maxLr = ${s.maxLr}]`);
  if (!['cosine', 'linear', 'constant'].includes(s.schedule)) throw new TrainerConfigError(`run settings: schedule = ${JSON.stringify(s.schedule)} must be cosine, linear or constant`);
  growSteps(s); // throws on a bad growAt
  const scale = s.newTokenLrScale ?? 1;
  if (!(scale >= 0 && Number.isFinite(scale))) throw new TrainerConfigError(`run settings: newTokenLrScale = ${scale} must be a finite number >= 0`);
  if (!['continue', 'rewarmup'].includes(s.growSchedule ?? 'continue')) throw new TrainerConfigError(`run settings: growSchedule = ${JSON.stringify(s.growSchedule)} must be continue or rewarmup`);
  return s;
}

/**
 * The steps after which the run grows, increasing (settings.growAt as a list; 0 and [] are none).
 * Each must be an integer in 1..steps-1, in increasing order.
 */
export function growSteps(s: Pick<RunSettings, 'growAt' | 'steps'>): number[] {
  const at = s.growAt ?? 0;
  const list = Array.isArray(at) ? at : at === 0 ? [] : [at];
  list.forEach((g, i) => {
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || g >= s.steps) throw new TrainerConfigError(`run settings: growAt = ${JSON.stringify(at)}: grow after a step in 1..${s.steps - 1} (not ${JSON.stringify(g)}), or 0 for never`);
    if (i > 0 && g <= list[i - 1]!) throw new TrainerConfigError(`run settings: growAt = ${JSON.stringify(at)} must increase (${g} after ${list[i - 1]})`);
  });
  return list;
}
