// The run directory's `latest` and `best` pointers (DESIGN.md's contract): one line each, the path of
// a checkpoint directory relative to the run directory; written to a temporary file and renamed into
// place. Every command that takes a checkpoint accepts a checkpoint directory or a run directory.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractCheckpointZip, isZipFile } from '@tokenformer/model/node';
import { TrainerConfigError } from './errors.js';

export type RunPointer = 'latest' | 'best';

/** The checkpoint directory `runDir/<name>` points at, or null when the pointer does not exist. */
export function readRunPointer(runDir: string, name: RunPointer): string | null {
  const p = join(runDir, name);
  return existsSync(p) ? join(runDir, readFileSync(p, 'utf8').trim()) : null;
}

/** Points `runDir/<name>` at `target` (relative to runDir), atomically. */
export function writeRunPointer(runDir: string, name: RunPointer, target: string): void {
  const tmp = join(runDir, `.${name}.tmp`);
  writeFileSync(tmp, `${target}\n`);
  renameSync(tmp, join(runDir, name));
}

/**
 * A checkpoint directory as it is, the `latest` (or `best`) checkpoint of a run directory, or a
 * zipped checkpoint directory (a `.zip`, unpacked into a temporary directory removed at exit).
 */
export function resolveCheckpoint(path: string, which: RunPointer = 'latest'): string {
  if (isZipFile(path)) return extractCheckpointZip(path);
  if (existsSync(join(path, 'config.json'))) return path;
  const pointed = readRunPointer(path, which);
  if (pointed) return pointed;
  throw new TrainerConfigError(`${path} is neither a checkpoint directory (no config.json) nor a run directory (no ${which}) nor a zipped checkpoint`);
}
