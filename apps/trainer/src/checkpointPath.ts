// Every command that takes --checkpoint DIR accepts a checkpoint directory or a run directory
// (DESIGN.md): the run's `latest`, or `best` when asked.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A checkpoint directory, or the `latest` / `best` checkpoint of a run directory. */
export function resolveCheckpoint(path: string, which: 'latest' | 'best' = 'latest'): string {
  if (existsSync(join(path, 'config.json'))) return path;
  const pointer = join(path, which);
  if (existsSync(pointer)) return join(path, readFileSync(pointer, 'utf8').trim());
  throw new Error(`${path} is neither a checkpoint directory (no config.json) nor a run directory (no ${which})`);
}

