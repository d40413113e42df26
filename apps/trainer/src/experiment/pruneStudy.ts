// Fewer parameters, recovered: a trained checkpoint pruned by importance to each share of its
// parameter tokens (`tokenformer prune`, τ calibrated), scored as it is, then fine-tuned briefly
// (fineTuneShare of the original run's training compute); and, for each size, a model of that size
// trained from scratch with the same total compute (the original run's plus the fine-tune's).
import { join } from 'node:path';
import { pruneCommand } from '../prune.js';
import type { ExperimentPlan } from './plan.js';
import { familyConfig, modelOf, runConfig } from './plan.js';
import { countParams } from '@tokenformer/model';
import { flopsPerToken, readConfig } from './curves.js';
import type { TrainJob } from './jobs.js';

/** The fine-tunes' peak learning rates, as shares of the pruned run's. */
export const FINE_TUNE_LR_SHARES = [1 / 3, 1];

export interface PrunedModel {
  keep: number;
  tokens: number;
  dir: string;
  params: number;
  /** Validation loss right after pruning (no training). */
  loss: number;
  /** Fine-tune steps (at the pruned size) and their compute. */
  fineTuneSteps: number;
  fineTuneFlops: number;
  /** Steps of the same-size scratch model for the original run's compute plus the fine-tune's. */
  scratchSteps: number;
}

/** Prunes `checkpoint` (trained with `sourceFlops` FLOP) to each share of the plan; the fine-tune and scratch jobs to run next. */
export async function pruneAll(plan: ExperimentPlan, checkpoint: string, sourceFlops: number, maxLr: number, data: string, work: string): Promise<{ pruned: PrunedModel[]; jobs: TrainJob[] }> {
  const pruned: PrunedModel[] = [];
  const jobs: TrainJob[] = [];
  const tokensPerStep = plan.batchSize * plan.seqLength;
  for (const keep of plan.pruneKeep) {
    const dir = join(work, `pruned-${keep}`);
    const p = await pruneCommand({ checkpoint, out: dir, data, keep, batches: plan.validBatches, batchSize: plan.batchSize, seqLength: plan.seqLength });
    const config = readConfig(dir);
    const perStep = tokensPerStep * flopsPerToken(p.paramsAfter, config, plan.seqLength);
    const fineTuneSteps = Math.max(1, Math.floor((plan.fineTuneShare * sourceFlops) / perStep));
    const tokens = config.layers[0]!.query.paramTokenNum;
    const scratchModel = modelOf(plan, tokens);
    const scratchParams = countParams(familyConfig(plan, tokens, config.vocabSize));
    const scratchSteps = Math.floor((sourceFlops + fineTuneSteps * perStep) / (tokensPerStep * flopsPerToken(scratchParams, config, plan.seqLength)));
    pruned.push({ keep, tokens, dir, params: p.paramsAfter, loss: p.lossAfter, fineTuneSteps, fineTuneFlops: fineTuneSteps * perStep, scratchSteps });
    // the fine-tunes: short runs from the pruned checkpoint (fresh AdamW moments, a warmup of a tenth),
    // decaying from each of FINE_TUNE_LR_SHARES of the run's peak learning rate
    for (const share of FINE_TUNE_LR_SHARES) {
      jobs.push({ name: `finetune-${keep}-lr${share.toFixed(2)}`, config: runConfig(plan, 1, maxLr * share, scratchModel, { steps: fineTuneSteps, initFrom: dir, warmupSteps: Math.max(1, Math.floor(fineTuneSteps / 10)), validEvery: Math.max(1, Math.floor(fineTuneSteps / 4)) }) });
    }
    jobs.push({ name: `small-scratch-${keep}`, config: runConfig(plan, 1, maxLr, scratchModel, { steps: scratchSteps, validEvery: Math.max(1, Math.floor(scratchSteps / 30)) }) });
  }
  return { pruned, jobs };
}
