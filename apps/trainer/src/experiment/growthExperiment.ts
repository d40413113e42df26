// The growth experiment (issue 24): progressive growth against training the final size from scratch,
// with every stage's compute counted; the options of a growth step; pruning with a brief fine-tune
// against a small model trained from scratch; selective activation. Runs train in child processes,
// two at a time; what it measures is written by readme.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCheckpoint } from '@tokenformer/trainer/node';
import { growCommand } from '../grow.js';
import { PREPARE_FILE, prepare, readPrepared } from '../prepare.js';
import { readMetrics } from '../report.js';
import { countParams } from '@tokenformer/model';
import { flopsPerToken, runCurve, type CurvePoint } from './curves.js';
import { heldOutBatches } from './heldOutBatches.js';
import { runJobs, type FinishedJob, type TrainJob } from './jobs.js';
import { familyConfig, growthOf, modelOf, runConfig, type ExperimentPlan } from './plan.js';
import { pruneAll, type PrunedModel } from './pruneStudy.js';
import { topKStudy, type TopKRow } from './topKStudy.js';
import type { TrainConfig } from '../trainConfig.js';

export interface RunResult {
  name: string;
  maxLr: number;
  seed: number;
  params: number;
  seconds: number;
  curve: CurvePoint[];
}

export interface ExperimentResults {
  plan: ExperimentPlan;
  unigramEntropy: number;
  /** Seed 1 at each learning rate: scratch, grown and the small model alone. */
  sweep: { scratch: RunResult[]; grown: RunResult[]; small: RunResult[] };
  best: { scratch: number; grown: number; small: number };
  /** The main comparison at the best learning rates, one entry per seed. */
  scratch: RunResult & { seeds: RunResult[] };
  grown: RunResult & { seeds: RunResult[] };
  small: RunResult & { seeds: RunResult[] };
  /** Per seed: scratch at the final size with the grown run's compute (fewer steps, its own schedule). */
  scratchAtGrownCompute: RunResult[];
  /** Growth-step options on seed 1 (the grown run's default, `continue`, is `grown`). */
  options: (RunResult & { option: string })[];
  /** The largest logit change of an exact growth of the trained small model. */
  exactGrowth: { maxAbsLogitDiff: number; paramsBefore: number; paramsAfter: number };
  /** Each pruned model with its fine-tunes (one per FINE_TUNE_LR_SHARES) and the same size from scratch. */
  pruning: { full: { params: number; loss: number; flops: number }; models: (PrunedModel & { fineTuned: RunResult[]; scratch: RunResult })[] };
  topK: TopKRow[];
  normalisations: Record<string, number>;
  seconds: number;
  /** Training runs side by side. */
  parallel: number;
  /** Training runs, and how many of them an earlier invocation had finished (`--reuse`). */
  runs: { total: number; reused: number };
}

export async function runGrowthExperiment(plan: ExperimentPlan, work: string, parallel: number, log: (line: string) => void, reuse = false): Promise<ExperimentResults> {
  const t0 = Date.now();
  mkdirSync(work, { recursive: true });
  const data = join(work, `data-v${plan.vocab}`);
  if (!existsSync(join(data, PREPARE_FILE))) await prepare({ corpus: ['sotu'], out: data, vocabSize: plan.vocab, validFraction: 0.02, seed: 1234, field: 'text', log });
  const prep = readPrepared(data);
  const vocabSize = familyConfig(plan, plan.smallTokens, prep.vocabSize).vocabSize;
  const tokensPerStep = plan.batchSize * plan.seqLength;
  const small = modelOf(plan, plan.smallTokens);
  const final = modelOf(plan, plan.finalTokens);
  const paramsOf = (n: number) => countParams(familyConfig(plan, n, vocabSize));
  const family = familyConfig(plan, plan.finalTokens, vocabSize);
  const result = (job: FinishedJob, config: TrainConfig, startTokens: number, offset = 0): RunResult => ({
    name: job.name,
    maxLr: config.maxLr,
    seed: config.seed,
    params: Number(readMetrics(job.runDir).filter((r) => r.type === 'growth').at(-1)?.paramsAfter ?? paramsOf(startTokens)),
    seconds: job.seconds,
    curve: runCurve(job.runDir, paramsOf(startTokens), family, plan.seqLength, tokensPerStep, offset),
  });

  // 1. seed 1 at each learning rate: scratch at the final size, grown from the small size, the small one alone
  log(`1/4 the learning rates ${plan.maxLrs.join(', ')} on seed 1 (scratch ${paramsOf(plan.finalTokens).toLocaleString('en')} parameters, small ${paramsOf(plan.smallTokens).toLocaleString('en')})`);
  const sweepJobs: (TrainJob & { kind: 'scratch' | 'grown' | 'small'; tokens: number })[] = [];
  for (const lr of plan.maxLrs) {
    sweepJobs.push({ kind: 'scratch', tokens: plan.finalTokens, name: `scratch-lr${lr}-s1`, config: runConfig(plan, 1, lr, final) });
    sweepJobs.push({ kind: 'grown', tokens: plan.smallTokens, name: `grown-lr${lr}-s1`, config: runConfig(plan, 1, lr, small, growthOf(plan)) });
    sweepJobs.push({ kind: 'small', tokens: plan.smallTokens, name: `small-lr${lr}-s1`, config: runConfig(plan, 1, lr, small) });
  }
  const normJobs = ['l2_norm_gelu', 'gelu_l2_norm', 'softmax'].map((norm) => ({ name: `norm-${norm}`, config: runConfig(plan, 1, plan.maxLrs[Math.floor(plan.maxLrs.length / 2)]!, modelOf(plan, plan.finalTokens, norm as TrainConfig['model']['normActivationType']), { steps: plan.normSteps, validEvery: plan.normSteps }) }));
  const swept = await runJobs([...sweepJobs, ...normJobs], work, data, parallel, log, reuse);
  const sweep = { scratch: [] as RunResult[], grown: [] as RunResult[], small: [] as RunResult[] };
  for (const j of sweepJobs) sweep[j.kind].push(result(swept.get(j.name)!, j.config, j.tokens));
  const bestOf = (runs: RunResult[]) => runs.reduce((a, b) => (b.curve.at(-1)!.loss < a.curve.at(-1)!.loss ? b : a));
  const best = { scratch: bestOf(sweep.scratch).maxLr, grown: bestOf(sweep.grown).maxLr, small: bestOf(sweep.small).maxLr };
  const normalisations = Object.fromEntries(normJobs.map((j) => [j.name.slice(5), readMetrics(swept.get(j.name)!.runDir).filter((r) => r.type === 'validation').at(-1)!.loss as number]));
  log(`   best peak learning rates: scratch ${best.scratch}, grown ${best.grown}, small ${best.small}`);

  // 2. the other seeds at the best rates, the growth options, and the pruned models' runs
  log('2/4 the other seeds, the growth options, pruning and its fine-tunes');
  const scratch1 = bestOf(sweep.scratch);
  const scratchDir = swept.get(scratch1.name)!.runDir;
  const pruned = await pruneAll(plan, scratchDir, scratch1.curve.at(-1)!.flops, best.scratch, data, work);
  const stage = plan.growAt[0]!;
  const optionJobs: (TrainJob & { option: string })[] = [
    { option: 'rewarmup: warmup and decay again after each growth', name: 'grown-rewarmup-s1', config: runConfig(plan, 1, best.grown, small, { ...growthOf(plan), growSchedule: 'rewarmup' }) },
    { option: `new tokens warmed up over ${Math.max(1, Math.floor(stage / 10))} steps`, name: 'grown-newwarmup-s1', config: runConfig(plan, 1, best.grown, small, { ...growthOf(plan), newTokenWarmupSteps: Math.max(1, Math.floor(stage / 10)) }) },
    { option: 'new tokens at 3x the learning rate', name: 'grown-newlr3-s1', config: runConfig(plan, 1, best.grown, small, { ...growthOf(plan), newTokenLrScale: 3 }) },
  ];
  const seedJobs: (TrainJob & { kind: 'scratch' | 'grown' | 'small'; tokens: number })[] = plan.seeds.slice(1).flatMap((seed) => [
    { kind: 'scratch' as const, tokens: plan.finalTokens, name: `scratch-s${seed}`, config: runConfig(plan, seed, best.scratch, final) },
    { kind: 'grown' as const, tokens: plan.smallTokens, name: `grown-s${seed}`, config: runConfig(plan, seed, best.grown, small, growthOf(plan)) },
    { kind: 'small' as const, tokens: plan.smallTokens, name: `small-s${seed}`, config: runConfig(plan, seed, best.small, small) },
  ]);
  // scratch given only the grown run's compute: the final size, fewer steps, a schedule of its own
  const grownFlops = bestOf(sweep.grown).curve.at(-1)!.flops;
  const equalSteps = Math.floor(grownFlops / (tokensPerStep * flopsPerToken(paramsOf(plan.finalTokens), family, plan.seqLength)));
  // (a shorter schedule has a best learning rate of its own: the sweep's rates on seed 1, the best on the others)
  const equalJob = (seed: number, lr: number) => ({ name: `scratch-equal-lr${lr}-s${seed}`, config: runConfig(plan, seed, lr, final, { steps: equalSteps, validEvery: Math.max(1, Math.floor(equalSteps / 30)) }) });
  const equalSweep = plan.maxLrs.map((lr) => equalJob(1, lr));
  const second = await runJobs([...pruned.jobs.filter((j) => j.name.startsWith('small-scratch')), ...seedJobs, ...equalSweep, ...optionJobs, ...pruned.jobs.filter((j) => j.name.startsWith('finetune'))], work, data, parallel, log, reuse);
  const equalBest = bestOf(equalSweep.map((j) => result(second.get(j.name)!, j.config, plan.finalTokens)));
  const equalJobs = plan.seeds.map((seed) => (seed === 1 ? equalSweep.find((j) => j.config.maxLr === equalBest.maxLr)! : equalJob(seed, equalBest.maxLr)));
  for (const [name, job] of await runJobs(equalJobs.filter((j) => !second.has(j.name)), work, data, parallel, log, reuse)) second.set(name, job);
  const withSeeds = (kind: 'scratch' | 'grown' | 'small', first: RunResult) => ({ ...first, seeds: [first, ...seedJobs.filter((j) => j.kind === kind).map((j) => result(second.get(j.name)!, j.config, j.tokens))] });
  const options = optionJobs.map((j) => ({ ...result(second.get(j.name)!, j.config, plan.smallTokens), option: j.option }));

  // 3. pruning: each pruned model fine-tuned, against the same size from scratch at the same total compute
  const fullLoss = scratch1.curve.at(-1)!.loss;
  const models = pruned.pruned.map((p) => {
    const fts = pruned.jobs.filter((j) => j.name.startsWith(`finetune-${p.keep}-`));
    const sc = pruned.jobs.find((j) => j.name === `small-scratch-${p.keep}`)!;
    return { ...p, fineTuned: fts.map((ft) => result(second.get(ft.name)!, ft.config, p.tokens, scratch1.curve.at(-1)!.flops)), scratch: result(second.get(sc.name)!, sc.config, p.tokens) };
  });

  // 4. exact growth of a trained model, and selective activation on the scratch model
  log('3/4 exact growth of the trained small model');
  const smallDir = swept.get(bestOf(sweep.small).name)!.runDir;
  const add = (plan.finalTokens - plan.smallTokens) / plan.growAt.length;
  const g = await growCommand({ checkpoint: smallDir, out: join(work, 'small-grown'), add: { query: add, key: add, value: add, proj: add, ffn: 4 * add }, seed: 7 });
  log('4/4 selective activation: loss and generation speed by k');
  const topK = await topKStudy(resolveCheckpoint(scratchDir), plan.topK, heldOutBatches(data, 1, plan.seqLength, plan.batchSize, plan.validBatches));
  return {
    plan,
    unigramEntropy: prep.unigramEntropy,
    sweep,
    best,
    scratch: withSeeds('scratch', scratch1),
    grown: withSeeds('grown', bestOf(sweep.grown)),
    small: withSeeds('small', bestOf(sweep.small)),
    scratchAtGrownCompute: equalJobs.map((j) => result(second.get(j.name)!, j.config, plan.finalTokens)),
    options,
    exactGrowth: { maxAbsLogitDiff: g.deviation.maxAbsLogitDiff, paramsBefore: g.paramsBefore, paramsAfter: g.paramsAfter },
    pruning: { full: { params: scratch1.params, loss: fullLoss, flops: scratch1.curve.at(-1)!.flops }, models },
    topK,
    normalisations,
    seconds: (Date.now() - t0) / 1000,
    parallel,
    runs: { total: swept.size + second.size, reused: [...swept.values(), ...second.values()].filter((j) => j.reused).length },
  };
}

export function writeResults(results: ExperimentResults, out: string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}
