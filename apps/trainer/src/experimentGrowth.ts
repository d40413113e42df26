// `pnpm experiment:growth [-- --quick] [--reuse] [--report] [--work=DIR] [--out=DIR] [--jobs=N]`: the growth experiment
// (experiment/growthExperiment.ts) on the embedded corpus and this machine's CPU, written to
// experiments/growth/ (results.json, README.md, SVG plots). --quick is the CI smoke: minutes, and
// its numbers mean nothing. --reuse takes the runs an earlier invocation finished with the same
// settings as they are (after a change to the training code, leave it out); --report only rewrites
// README.md and the plots from the results.json in --out.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { startBackend } from '@tokenformer/node-runtime';
import { runGrowthExperiment, writeResults, type ExperimentResults } from './experiment/growthExperiment.js';
import { makePlan } from './experiment/plan.js';
import { writeReadme } from './experiment/readme.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const quick = 'quick' in args;
const work = args.work ?? (quick ? 'runs/experiment-growth-quick' : 'runs/experiment-growth');
const out = args.out ?? (quick ? 'runs/experiment-growth-quick/report' : 'experiments/growth');
const jobs = Number(args.jobs ?? Math.min(2, availableParallelism()));

if ('report' in args) {
  // README.md and the plots again from the results.json already there (no training)
  console.log(writeReadme(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ExperimentResults, out));
} else {
  await startBackend('wasm');
  const results = await runGrowthExperiment(makePlan(quick), work, jobs, (l) => console.error(l), 'reuse' in args);
  writeResults(results, out);
  console.log(writeReadme(results, out));
}
