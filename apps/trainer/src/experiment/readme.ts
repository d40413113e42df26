// experiments/growth/README.md and its plots from the experiment's results: every figure in the
// tables is read from results.json, which holds the curves they come from.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { svgChart } from '../report.js';
import { computeToReach, lossAtCompute, spread, type CurvePoint } from './curves.js';
import type { ExperimentResults, RunResult } from './growthExperiment.js';

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
const pct = (x: number | null) => (x === null ? 'not reached' : `${(100 * x).toFixed(0)}%`);
const gflop = (x: number) => (x / 1e9).toFixed(0);
const last = (r: RunResult) => r.curve.at(-1)!;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
const bestTune = (m: { fineTuned: RunResult[] }) => m.fineTuned.map(last).reduce((a, b) => (b.loss < a.loss ? b : a));
const asXY = (c: CurvePoint[]) => c.map((p) => ({ x: Math.round(p.flops / 1e9), y: p.loss }));

/** The grown run's compute to reach `scratch`'s final loss, as a share of scratch's compute. */
export function reachShare(grown: RunResult, scratch: RunResult): number | null {
  const at = computeToReach(grown.curve, last(scratch).loss);
  return at === null ? null : at / last(scratch).flops;
}

export function writeReadme(r: ExperimentResults, out: string): string {
  const p = r.plan;
  const seeds = r.scratch.seeds.map((s, i) => ({ seed: s.seed, scratch: s, grown: r.grown.seeds[i]!, small: r.small.seeds[i]! }));
  const shares = seeds.map((s) => reachShare(s.grown, s.scratch));
  const met = shares.every((x) => x !== null && x <= 0.5);
  const reached = shares.filter((x): x is number => x !== null);
  const colors = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
  writeFileSync(join(out, 'loss-vs-compute.svg'), svgChart('validation loss vs training compute (GFLOP), all stages counted', seeds.flatMap((s, i) => [
    { name: `scratch ${p.finalTokens}/${4 * p.finalTokens}, seed ${s.seed}`, color: colors[2 * i]!, points: asXY(s.scratch.curve) },
    { name: `grown ${p.smallTokens} -> ${p.finalTokens}, seed ${s.seed}`, color: colors[2 * i + 1]!, points: asXY(s.grown.curve) },
  ]), 'nats/token', 'GFLOP'));
  const optionRuns = [{ ...r.grown, option: 'continue (default): the schedule goes on, new tokens at the run\'s rate' }, ...r.options];
  writeFileSync(join(out, 'growth-options.svg'), svgChart('growth-step options, seed 1: validation loss by step', [
    { name: 'scratch', color: colors[0]!, points: r.scratch.curve.map((c) => ({ x: c.step, y: c.loss })) },
    ...optionRuns.map((o, i) => ({ name: o.name, color: colors[i + 1]!, points: o.curve.map((c) => ({ x: c.step, y: c.loss })) })),
  ], 'nats/token'));
  const pr = r.pruning;
  writeFileSync(join(out, 'pruning.svg'), svgChart('validation loss vs parameter tokens kept (%)', [
    { name: 'pruned', color: colors[0]!, points: pr.models.map((m) => ({ x: Math.round(m.keep * 100), y: m.loss })) },
    { name: 'pruned + fine-tuned (the better rate)', color: colors[1]!, points: pr.models.map((m) => ({ x: Math.round(m.keep * 100), y: bestTune(m).loss })) },
    { name: 'same size from scratch, same total compute', color: colors[2]!, points: pr.models.map((m) => ({ x: Math.round(m.keep * 100), y: last(m.scratch).loss })) },
  ], 'nats/token', 'parameter tokens kept (%)'));
  const full = r.topK.find((t) => t.k === null)!;
  const growthJump = (run: RunResult) => p.growAt.map((g) => {
    const at = run.curve.find((c) => c.step === g)?.loss;
    const after = run.curve.find((c) => c.step > g)?.loss;
    return `${f3(at)} -> ${f3(after)}`;
  }).join('; ');
  const sm = (xs: number[]) => {
    const s = spread(xs);
    return `${s.mean.toFixed(3)} ± ${s.halfRange.toFixed(3)}`;
  };
  const lines = [
    '# Growth at small scale: results',
    '',
    `Written by \`pnpm experiment:growth${p.quick ? ' -- --quick' : ''}\` (apps/trainer/src/experiment/) in ${(r.seconds / 60).toFixed(0)} minutes${r.runs.reused ? ` (${r.runs.reused} of its ${r.runs.total} training runs reused, with identical settings, from an earlier invocation: \`--reuse\`)` : ''} on this machine's CPU (wasm, one thread a run, ${r.parallel} runs side by side). Corpus: the State of the Union addresses, a ${p.vocab}-token byte-level BPE, unigram entropy ${r.unigramEntropy.toFixed(3)} nats/token. Every model: d ${p.hiddenSize}, ${p.numLayers} layers, 4 heads, ${p.batchSize}x${p.seqLength} tokens a step, ${p.steps} steps, AdamW with a cosine schedule from the peak rate to a tenth; only the parameter-token counts differ (q/k/v/proj n, FFN 4n). Compute is 6N + 12·L·d·T FLOP per trained token, N the parameters at that step, summed over every stage.${p.quick ? ' **This is the CI smoke (`--quick`): its numbers mean nothing.**' : ''}`,
    '',
    ...(p.quick ? [] : ['What these figures say, and why each goal is met or not: [DISCUSSION.md](DISCUSSION.md) (hand-written from them).', '']),
    '## Grown vs scratch (the paper\'s comparison)',
    '',
    `Scratch trains the final size (n = ${p.finalTokens}, ${r.scratch.params.toLocaleString('en')} parameters) for the whole budget. Grown starts at n = ${p.smallTokens} (${r.small.params.toLocaleString('en')} parameters) and grows exactly (zero keys, τ kept) after steps ${p.growAt.slice(0, -1).join(', ')} and ${p.growAt.at(-1)}, to the same final size, in one run: the learning-rate schedule continues, the old tokens keep their AdamW moments, the new ones start at zero. Each uses its best peak learning rate from the sweep below (scratch ${r.best.scratch}, grown ${r.best.grown}). "Small alone" is the n = ${p.smallTokens} model trained for the whole budget (best rate ${r.best.small}).`,
    '',
    '| seed | scratch: final loss | scratch: compute (GFLOP) | grown: final loss | grown: compute (GFLOP) | grown: compute to reach scratch\'s final loss | equal compute: scratch\'s curve there / scratch trained for it | small alone: final loss |',
    '|---|---|---|---|---|---|---|---|',
    ...seeds.map((s, i) => `| ${s.seed} | ${f3(last(s.scratch).loss)} | ${gflop(last(s.scratch).flops)} | ${f3(last(s.grown).loss)} | ${gflop(last(s.grown).flops)} (${pct(last(s.grown).flops / last(s.scratch).flops)}) | ${pct(shares[i]!)}${shares[i] === null ? '' : " of scratch's"} | ${f3(lossAtCompute(s.scratch.curve, last(s.grown).flops))} / ${f3(last(r.scratchAtGrownCompute[i]!).loss)} | ${f3(last(s.small).loss)} |`),
    `| mean ± half-range | ${sm(seeds.map((s) => last(s.scratch).loss))} | | ${sm(seeds.map((s) => last(s.grown).loss))} | | ${reached.length === shares.length ? `${(100 * spread(reached).mean).toFixed(0)}% ± ${(100 * spread(reached).halfRange).toFixed(0)}%` : 'not reached on every seed'} | / ${sm(r.scratchAtGrownCompute.map((x) => last(x).loss))} | ${sm(seeds.map((s) => last(s.small).loss))} |`,
    '',
    `"Equal compute" compares the grown run's final loss with scratch at the same compute: read off scratch's own curve (mid-schedule, its learning rate not yet decayed), and a scratch run of ${last(r.scratchAtGrownCompute[0]!).step} steps given only that compute, with a full schedule of its own at the best of the sweep's peak rates for that length (${r.scratchAtGrownCompute[0]!.maxLr}).`,
    '',
    `**Goal (at most 50% of scratch's compute to reach its final loss, on both seeds): ${met ? 'met' : 'not met'}.**`,
    '',
    '![loss vs compute](loss-vs-compute.svg)',
    '',
    '## Learning rates (seed 1, final validation loss)',
    '',
    '| peak learning rate | scratch | grown | small alone |',
    '|---|---|---|---|',
    ...p.maxLrs.map((lr, i) => `| ${lr} | ${f3(last(r.sweep.scratch[i]!).loss)} | ${f3(last(r.sweep.grown[i]!).loss)} | ${f3(last(r.sweep.small[i]!).loss)} |`),
    '',
    '## What a growth step does to training (seed 1, grown at its best rate)',
    '',
    '| option | final loss | compute to reach scratch\'s final loss | validation loss at the growth step -> the next validation |',
    '|---|---|---|---|',
    ...optionRuns.map((o) => `| ${o.option} | ${f3(last(o).loss)} | ${pct(reachShare(o, r.scratch))} | ${growthJump(o)} |`),
    '',
    `Exact growth changes no function: growing the trained small model (${r.exactGrowth.paramsBefore.toLocaleString('en')} -> ${r.exactGrowth.paramsAfter.toLocaleString('en')} parameters) moved no logit by more than ${r.exactGrowth.maxAbsLogitDiff.toExponential(2)}.`,
    '',
    '![growth options](growth-options.svg)',
    '',
    '## Fewer parameter tokens, recovered',
    '',
    `The seed-1 scratch model (${pr.full.params.toLocaleString('en')} parameters, validation loss ${f3(pr.full.loss)}) pruned by importance (\`tokenformer prune\`, τ calibrated), then fine-tuned with ${Math.round(p.fineTuneShare * 100)}% of its training compute (fresh AdamW moments; peak learning rate a third of the run's, or the run's). Against each: the same size trained from scratch with the same total compute (the original run's plus the fine-tune's).`,
    '',
    `| parameter tokens kept | n (attention / FFN) | parameters | pruned | fine-tuned: ${pr.models[0]!.fineTuned.map((t) => `peak ${t.maxLr.toPrecision(2)}`).join(' / ')} (the better vs the full model) | fine-tune compute | same size from scratch, same total compute |`,
    '|---|---|---|---|---|---|---|',
    ...pr.models.map((m) => `| ${Math.round(m.keep * 100)}% | ${m.tokens} / ${4 * m.tokens} | ${m.params.toLocaleString('en')} | ${f3(m.loss)} | ${m.fineTuned.map((t) => f3(last(t).loss)).join(' / ')} (${signed(bestTune(m).loss - pr.full.loss)}) | ${pct(m.fineTuneFlops / pr.full.flops)} | ${f3(last(m.scratch).loss)} (${m.scratchSteps} steps) |`),
    '',
    (() => {
      const m = pr.models.find((x) => Math.abs(x.keep - 0.2) < 1e-9);
      if (!m) return '';
      const d = bestTune(m).loss - pr.full.loss;
      return `**Goal (20% of the tokens, fine-tuned with at most 10% of the compute: within 0.1 nats of the full model, and better than the same size from scratch): ${d <= 0.1 ? 'within 0.1' : `${d.toFixed(3)} nats away`}, ${bestTune(m).loss < last(m.scratch).loss ? 'better' : 'not better'} than scratch.**`;
    })(),
    '',
    '![pruning](pruning.svg)',
    '',
    '## Selective activation (seed-1 scratch model, inference only)',
    '',
    'Each Pattention keeps only each input row\'s k largest normalised scores (`--pattention-top-k`). Loss on the validation batches; generation: greedy, 48 new tokens with the KV cache, one wasm thread, best of 3.',
    '',
    '| k | validation loss | vs all tokens | generation (tokens/s) |',
    '|---|---|---|---|',
    ...r.topK.map((t) => `| ${t.k ?? `all (${p.finalTokens} / ${4 * p.finalTokens})`} | ${f3(t.loss)} | ${t.k === null ? '' : signed(t.loss - full.loss)} | ${t.tokensPerSec.toFixed(0)} |`),
    '',
    `## Normalisations (${p.normSteps} steps at the final size, seed 1)`,
    '',
    Object.entries(r.normalisations).map(([k, v]) => `${k} ${f3(v)}`).join(', ') + '.',
    '',
  ];
  const text = lines.join('\n');
  writeFileSync(join(out, 'README.md'), text);
  return text;
}
