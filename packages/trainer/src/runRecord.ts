// What a run writes into its directory as it goes: metrics.jsonl (one JSON object per line), and
// checkpoints/<step>/ with the AdamW state and trainer_state.json, the latest and best pointers, and
// the deletion of checkpoints beyond keepLast (the best one kept).
import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GptSampler } from '@tokenformer/data/node';
import type { TokenFormer } from '@tokenformer/model';
import { saveCheckpoint } from '@tokenformer/model/node';
import { NonFiniteError } from './errors.js';
import { readRunPointer, writeRunPointer } from './runDirectory.js';
import { serializeOptimizerState } from './optimizerFile.js';
import { OPTIMIZER_FILE, TRAINER_STATE_FILE, weightsFinite, type RunSettings, type TrainerState } from './runState.js';
import type { TrainStep } from './trainStep.js';

export class RunRecord {
  best: number | null;
  bestStep: number | null;
  firstValidationLoss: number | null = null;
  /** The step after which the model grew, once it has. */
  grownAt: number | undefined;
  /** The last checkpoint written (or resumed from). */
  latestDir: string;

  constructor(
    readonly runDir: string,
    readonly settings: RunSettings,
    private readonly resumed: TrainerState | null,
    latest: string | null,
    readonly backend: string,
    /** Files (e.g. tokenizer.json) that go into every checkpoint. */
    private readonly extraFiles: Record<string, string | Uint8Array>,
  ) {
    this.best = resumed?.bestValidationLoss ?? null;
    this.bestStep = resumed?.bestStep ?? null;
    this.grownAt = resumed?.grownAt;
    this.latestDir = latest ?? '';
    this.cleanUp();
  }

  /**
   * What an interrupted run left: checkpoint directories half written (`.N.tmp-*`, never renamed into
   * place) are removed, and metrics.jsonl loses the lines logged after the step it resumes from (they
   * are logged again), so it never holds a step twice.
   */
  private cleanUp(): void {
    const dir = join(this.runDir, 'checkpoints');
    for (const name of readdirSync(dir)) if (/^\..*\.tmp-/.test(name)) rmSync(join(dir, name), { recursive: true, force: true });
    const metrics = join(this.runDir, 'metrics.jsonl');
    if (!existsSync(metrics)) return;
    const step = this.resumed?.step ?? 0;
    const lines = readFileSync(metrics, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const kept = lines.filter((l) => {
      try {
        const entry = JSON.parse(l) as { step?: unknown };
        return typeof entry.step !== 'number' || entry.step <= step;
      } catch {
        return false; // a line cut by the interruption
      }
    });
    if (kept.length === lines.length) return;
    const tmp = `${metrics}.${process.pid}.tmp`;
    writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''));
    renameSync(tmp, metrics);
  }

  /** Appends one line to metrics.jsonl, with the backend and the time. */
  log(entry: object): void {
    appendFileSync(join(this.runDir, 'metrics.jsonl'), `${JSON.stringify({ ...entry, backend: this.backend, time: new Date().toISOString() })}\n`);
  }

  /** Writes checkpoints/<step> (refusing non-finite weights), moves the pointers, and deletes old checkpoints. */
  async writeCheckpoint(model: TokenFormer, trainStep: TrainStep, sampler: GptSampler, step: number, validationLoss: number | null): Promise<string> {
    if (!(await weightsFinite(model))) throw new NonFiniteError(`step ${step}: the weights hold NaN or Inf; no checkpoint written`);
    const isBest = validationLoss !== null && (this.best === null || validationLoss < this.best);
    if (isBest) {
      this.best = validationLoss;
      this.bestStep = step;
    }
    const rel = join('checkpoints', String(step));
    const dir = join(this.runDir, rel);
    const trainerState: TrainerState = {
      format: 'tokenformer-trainer/1',
      step,
      settings: this.settings,
      samplerCursor: sampler.cursor(),
      bestValidationLoss: this.best,
      bestStep: this.bestStep,
      nonFiniteSteps: (this.resumed?.nonFiniteSteps ?? 0) + trainStep.nonFiniteTotal,
      backend: this.backend,
      ...(this.grownAt !== undefined ? { grownAt: this.grownAt } : {}),
      ...(trainStep.newRows.size > 0 ? { newRows: Object.fromEntries(trainStep.newRows) } : {}),
    };
    const state = trainStep.state();
    const optimizer = await serializeOptimizerState(state);
    tf.dispose([...state.moments.values()]);
    await saveCheckpoint(model, dir, { extraFiles: { ...this.extraFiles, [OPTIMIZER_FILE]: optimizer, [TRAINER_STATE_FILE]: JSON.stringify(trainerState, null, 2) } });
    writeRunPointer(this.runDir, 'latest', rel);
    if (isBest) writeRunPointer(this.runDir, 'best', rel);
    this.latestDir = dir;
    pruneCheckpoints(this.runDir, this.settings.keepLast, readRunPointer(this.runDir, 'best'));
    this.log({ type: 'checkpoint', step, dir: rel, best: isBest });
    return dir;
  }
}

/** Deletes the run's checkpoints beyond the newest `keepLast`, except `best`. */
export function pruneCheckpoints(runDir: string, keepLast: number, best: string | null): void {
  const dir = join(runDir, 'checkpoints');
  const steps = readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => b - a);
  for (const s of steps.slice(keepLast)) {
    const p = join(dir, String(s));
    if (p !== best) rmSync(p, { recursive: true, force: true });
  }
}
