// Text files (reports, results, GPT-NeoX arguments) written to a temporary sibling and renamed
// into place, so a reader sees the old file or the new one, never half of one.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
