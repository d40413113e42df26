// The embedded corpus, tokenized with GPT-NeoX-20B's tokenizer, into indexed datasets that read
// back exactly; the split is deterministic; a failed run leaves no dataset behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import type { Tokenizer } from '@tokenformer/tokenizer';
import { DataInputError } from './errors.js';
import { readSotu } from './node/corpus.js';
import { IndexedDataset } from './node/dataset.js';
import { preprocess } from './node/preprocess.js';
import type { Document } from './node/readers.js';

const dir = mkdtempSync(join(tmpdir(), 'preprocess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let neox: Tokenizer;
let docs: Document[];

beforeAll(async () => {
  neox = loadTokenizer(npmAsset(NEOX_20B_TOKENIZER));
  docs = [];
  for await (const d of readSotu()) docs.push(d);
});

describe('preprocess', () => {
  it('turns the embedded corpus into a NeoX-20B dataset: one item per address, EOD appended, uint16', async () => {
    const eod = neox.tokenToId('<|endoftext|>')!;
    const report = await preprocess(docs, { encode: (t) => neox.encodeIds(t), eod, vocabSize: neox.vocabSize(), outputPrefix: join(dir, 'sotu') });
    expect(report.dtype).toBe('uint16');
    expect(report.train.prefix).toBe(join(dir, 'sotu_text_document'));
    expect(report.train.documents).toBe(233);
    expect(report.valid).toBeNull();
    const ds = IndexedDataset.open(report.train.prefix);
    expect(ds.numDocuments).toBe(233);
    expect(ds.numTokens).toBe(report.train.tokens);
    for (const i of [0, 100, 232]) expect([...ds.get(i)]).toEqual([...neox.encodeIds(docs[i]!.text), eod]);
    ds.close();
  });

  it('gives the same bytes on worker threads (both cores) as on this thread', async () => {
    const require = createRequire(import.meta.url);
    const module = pathToFileURL(join(dirname(require.resolve('@tokenformer/tokenizer/package.json')), 'dist', 'node.js')).href;
    const encoderOptions = { path: npmAsset(NEOX_20B_TOKENIZER) };
    const one = await preprocess(docs, { encode: (t) => neox.encodeIds(t), eod: 0, vocabSize: 50277, outputPrefix: join(dir, 'one'), validFraction: 0.1 });
    const two = await preprocess(docs, { encoder: { module, options: encoderOptions, workers: 2 }, eod: 0, vocabSize: 50277, outputPrefix: join(dir, 'two'), validFraction: 0.1 });
    for (const split of ['train', 'valid'] as const) {
      for (const ext of ['.idx', '.bin']) expect(readFileSync(one[split]!.prefix + ext).equals(readFileSync(two[split]!.prefix + ext))).toBe(true);
    }
    expect(two.train.tokens).toBe(one.train.tokens);
  });

  it('reports a worker that cannot build its encoder', async () => {
    const run = preprocess(docs.slice(0, 3), { encoder: { module: 'file:///nonexistent/encoder.js', workers: 1 }, eod: 0, vocabSize: 50277, outputPrefix: join(dir, 'noworker') });
    await expect(run).rejects.toThrow(/encoder worker: .*nonexistent/);
    expect(readdirSync(dir).filter((f) => f.startsWith('noworker'))).toEqual([]);
  });

  it('splits by document, deterministically for a seed', async () => {
    const run = async (name: string, seed: number) =>
      preprocess(docs.slice(0, 120), { encode: (t) => neox.encodeIds(t), eod: 0, vocabSize: 50277, outputPrefix: join(dir, name), validFraction: 0.25, seed });
    const a = await run('a', 7);
    const b = await run('b', 7);
    const c = await run('c', 8);
    expect(a.train.documents + a.valid!.documents).toBe(120);
    expect(a.valid!.documents).toBeGreaterThan(15);
    expect(a.valid!.documents).toBeLessThan(45);
    for (const split of ['train', 'valid'] as const) {
      for (const ext of ['.idx', '.bin']) expect(readFileSync(a[split]!.prefix + ext).equals(readFileSync(b[split]!.prefix + ext))).toBe(true);
    }
    expect(readFileSync(`${a.valid!.prefix}.idx`).equals(readFileSync(`${c.valid!.prefix}.idx`))).toBe(false);
  });

  it('a run that fails leaves no files that look like a dataset', async () => {
    const failing = (async function* () {
      yield docs[0]!;
      throw new Error('disk on fire');
    })();
    await expect(preprocess(failing, { encode: (t) => neox.encodeIds(t), eod: 0, vocabSize: 50277, outputPrefix: join(dir, 'broken') })).rejects.toThrow('disk on fire');
    expect(readdirSync(dir).filter((f) => f.startsWith('broken'))).toEqual([]);
    expect(existsSync(join(dir, 'broken_text_document.idx'))).toBe(false);
  });

  it('creates the folders of its output prefix', async () => {
    const prefix = join(dir, 'new', 'deeper', 'sotu');
    const report = await preprocess(docs.slice(0, 2), { encode: (t) => neox.encodeIds(t.slice(0, 100)), eod: 0, vocabSize: 50277, outputPrefix: prefix });
    expect(IndexedDataset.open(report.train.prefix).numDocuments).toBe(2);
  });

  it('rejects bad options', async () => {
    await expect(preprocess([], { encode: () => [], eod: 0, vocabSize: 10, outputPrefix: join(dir, 'x'), validFraction: 1 })).rejects.toThrow(DataInputError);
  });
});
