// The experiment's training runs, each `tokenformer train` in a child process of its own (a wasm
// backend each, one thread), `jobs` of them at a time: on a 2-core machine two runs side by side
// take the time of one. Each run's output goes to <runDir>.log; a failed run stops the experiment
// with the end of its log.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, closeSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMetrics } from '../report.js';
import type { TrainConfig } from '../trainConfig.js';

export interface TrainJob {
  name: string;
  /** The train command's settings (its config file), whole. */
  config: TrainConfig;
}

export interface FinishedJob {
  name: string;
  runDir: string;
  seconds: number;
  /** True when an earlier invocation's run was taken as it was (`reuse`). */
  reused: boolean;
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.js'); // beside this bundle in dist/

/**
 * Runs `jobs` under `work/<name>` from the data directory `data`, `parallel` at a time, in order of
 * the list. With `reuse`, a job whose run finished earlier with the same config file is not run again.
 */
export async function runJobs(jobs: TrainJob[], work: string, data: string, parallel: number, log: (line: string) => void, reuse = false): Promise<Map<string, FinishedJob>> {
  const done = new Map<string, FinishedJob>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      done.set(job.name, (reuse ? finishedEarlier(job, work) : null) ?? (await runJob(job, work, data, log)));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, jobs.length)) }, worker));
  return done;
}

/** The run of `job` an earlier invocation finished with the same config, or null. */
function finishedEarlier(job: TrainJob, work: string): FinishedJob | null {
  const runDir = join(work, job.name);
  const configFile = `${runDir}.json`;
  if (!existsSync(configFile) || readFileSync(configFile, 'utf8') !== `${JSON.stringify(job.config, null, 2)}\n`) return null;
  if (!existsSync(join(runDir, 'metrics.jsonl'))) return null;
  const rows = readMetrics(runDir);
  const steps = rows.filter((r) => r.type === 'step');
  if (steps.at(-1)?.step !== job.config.steps) return null;
  const seconds = (Date.parse(String(rows.at(-1)!.time)) - Date.parse(String(rows[0]!.time))) / 1000; // first to last record
  return { name: job.name, runDir, seconds, reused: true };
}

async function runJob(job: TrainJob, work: string, data: string, log: (line: string) => void): Promise<FinishedJob> {
  const runDir = join(work, job.name);
  rmSync(runDir, { recursive: true, force: true }); // a fresh run: never resumes one trained with other settings
  mkdirSync(work, { recursive: true });
  const configFile = `${runDir}.json`;
  writeFileSync(configFile, `${JSON.stringify(job.config, null, 2)}\n`);
  const logFile = `${runDir}.log`;
  const fd = openSync(logFile, 'w');
  const t0 = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', '--data', data, '--out', runDir, '--config', configFile, '--backend', 'wasm'], { stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  }).finally(() => closeSync(fd));
  const seconds = (Date.now() - t0) / 1000;
  if (code !== 0 || !existsSync(join(runDir, 'latest'))) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`experiment run ${job.name} failed (exit ${code}); ${logFile} ends:\n${tail}`);
  }
  log(`  ${job.name}: ${seconds.toFixed(0)} s`);
  return { name: job.name, runDir, seconds, reused: false };
}
