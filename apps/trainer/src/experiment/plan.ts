// The growth experiment's plan: the model family (one width and depth; sizes differ only in their
// parameter-token counts, as growth changes them), the budgets and the learning rates tried, for the
// full run (`pnpm experiment:growth`, under an hour on 2 cores) and the CI smoke (`--quick`).
import { createConfig, type TokenFormerConfig } from '@tokenformer/model';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../trainConfig.js';

export interface ExperimentPlan {
  quick: boolean;
  /** The BPE vocabulary trained on the corpus. */
  vocab: number;
  hiddenSize: number;
  numLayers: number;
  seqLength: number;
  batchSize: number;
  /** Steps of every run at its full budget (scratch, grown, the small model alone). */
  steps: number;
  warmupSteps: number;
  validEvery: number;
  validBatches: number;
  /** Seeds of the main comparison (data order, initialisation and validation batches). */
  seeds: number[];
  /** Peak learning rates tried for scratch and for the grown run on the first seed (min: a tenth). */
  maxLrs: number[];
  /** q/k/v/proj tokens of the model growth starts from and of the final size (FFN: 4x). */
  smallTokens: number;
  finalTokens: number;
  /** Steps after which the grown run grows, each time by (final - small) / growths tokens. */
  growAt: number[];
  /** Shares of the parameter tokens kept by pruning. */
  pruneKeep: number[];
  /** The fine-tune after pruning: this share of the original run's training compute. */
  fineTuneShare: number;
  /** Selective activation: the k tried (all tokens is always added). */
  topK: number[];
  /** Steps of the normalisation comparison (at the final size). */
  normSteps: number;
}

export function makePlan(quick: boolean): ExperimentPlan {
  const steps = quick ? 60 : 3000;
  const stage = steps / 4;
  return {
    quick,
    vocab: 512,
    hiddenSize: 64,
    numLayers: 2,
    seqLength: 32,
    batchSize: 16,
    steps,
    warmupSteps: quick ? 5 : 30,
    validEvery: steps / 30,
    validBatches: quick ? 4 : 16,
    seeds: [1, 2],
    maxLrs: quick ? [1e-2] : [5e-3, 1e-2, 2e-2],
    smallTokens: 16,
    finalTokens: 64,
    growAt: [stage, 2 * stage, 3 * stage],
    pruneKeep: [0.5, 0.3, 0.2],
    fineTuneShare: 0.1,
    topK: [128, 64, 32, 16, 8],
    normSteps: quick ? 20 : 1000,
  };
}

/** A model of the family with `n` tokens in each attention Pattention and 4n in the FFN. */
export function modelOf(plan: ExperimentPlan, n: number, normActivationType: TrainConfig['model']['normActivationType'] = 'l2_norm_gelu'): TrainConfig['model'] {
  return { hiddenSize: plan.hiddenSize, numLayers: plan.numLayers, numAttentionHeads: 4, qkvSlotNum: n, projSlotNum: n, ffnSlotNum: 4 * n, maxSeqLen: 64, normActivationType };
}

/** The model config of the family at `n` tokens (what the train command builds from modelOf). */
export function familyConfig(plan: ExperimentPlan, n: number, vocabSize: number): TokenFormerConfig {
  const { normActivationType: _norm, ...m } = modelOf(plan, n);
  return createConfig({ ...(m as Required<typeof m>), vocabSize });
}

/** A run's whole config: the plan's budget and schedule at `maxLr` (min a tenth), then `extra`. */
export function runConfig(plan: ExperimentPlan, seed: number, maxLr: number, model: TrainConfig['model'], extra: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    model,
    seed,
    seqLength: plan.seqLength,
    batchSize: plan.batchSize,
    steps: plan.steps,
    maxLr,
    minLr: maxLr / 10,
    warmupSteps: plan.warmupSteps,
    validEvery: plan.validEvery,
    validBatches: plan.validBatches,
    checkpointEvery: 1_000_000,
    keepLast: 1,
    ...extra,
  };
}

/** The grown run's growth settings: tokens added at each growth (zero keys, exact τ). */
export function growthOf(plan: ExperimentPlan): Partial<TrainConfig> {
  const add = (plan.finalTokens - plan.smallTokens) / plan.growAt.length;
  return { growAt: plan.growAt, growQkv: add, growProj: add, growFfn: 4 * add, growInit: 'zero-keys', growTau: 'exact', growSeed: 7 };
}
