// Readers: JSONL (plain, .gz, multi-frame .zst), text files and folders, malformed lines.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MalformedInputError } from './errors.js';
import { newStats, readCorpus, readJsonl, readText, type Document } from './node/readers.js';
import { readSotu, sotuFiles } from './node/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

async function all(g: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of g) out.push(d);
  return out;
}

const lines = Buffer.concat([
  Buffer.from('{"text": "one"}\n'),
  Buffer.from('{"text": "two\\nlines", "id": 2}\r\n'),
  Buffer.from('{"text": broken\n'),
  Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), // {"text":"\xff\xfe"}
  Buffer.from('{"body": "no text field"}\n'),
  Buffer.from('\n'),
  Buffer.from('{"text": "last, no newline"}'),
]);

describe('JSONL', () => {
  it('reads documents, skipping and counting malformed lines by kind', async () => {
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, lines);
    const stats = newStats();
    const docs = await all(readJsonl(file, { stats }));
    expect(docs.map((d) => [d.text, d.line])).toEqual([
      ['one', 1],
      ['two\nlines', 2],
      ['last, no newline', 7],
    ]);
    expect(stats).toEqual({ documents: 3, lines: 7, skipped: { badJson: 1, missingField: 1, invalidUtf8: 1 } });
  });

  it('fails on the first malformed line when asked, naming file and line', async () => {
    const file = join(dir, 'b.jsonl');
    writeFileSync(file, lines);
    await expect(all(readJsonl(file, { onMalformed: 'throw' }))).rejects.toThrow(MalformedInputError);
    await expect(all(readJsonl(file, { onMalformed: 'throw' }))).rejects.toThrow(/b\.jsonl:3: not JSON/);
  });

  it('reads another field, and .gz', async () => {
    const file = join(dir, 'c.jsonl.gz');
    writeFileSync(file, gzipSync(Buffer.from('{"body": "x"}\n{"body": "y"}\n')));
    expect((await all(readJsonl(file, { field: 'body' }))).map((d) => d.text)).toEqual(['x', 'y']);
  });

  it('reads every frame of a multi-frame .zst', async () => {
    const stats = newStats();
    const docs = await all(readCorpus(join(fixtures, 'multi-frame.jsonl.zst'), { stats }));
    expect(docs.map((d) => d.text)).toEqual(['first frame doc', 'zweites Dokument ü', 'second frame doc']);
    expect(stats.skipped).toEqual({ badJson: 1, missingField: 1, invalidUtf8: 0 });
  });
});

describe('text', () => {
  it('one document per file in a folder (recursively, in name order), or per separator line', async () => {
    mkdirSync(join(dir, 'texts', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'texts', 'b.txt'), 'second file\n');
    writeFileSync(join(dir, 'texts', 'a.txt'), 'first\r\nfile');
    writeFileSync(join(dir, 'texts', 'sub', 'c.txt.gz'), gzipSync('doc one\n<|sep|>\ndoc two\nmore\n<|sep|>\n'));
    expect((await all(readText(join(dir, 'texts')))).map((d) => d.text)).toEqual(['first\r\nfile', 'second file\n', 'doc one\n<|sep|>\ndoc two\nmore\n<|sep|>\n']);
    const sep = await all(readText(join(dir, 'texts', 'sub'), { separator: '<|sep|>' }));
    expect(sep.map((d) => d.text)).toEqual(['doc one\n', 'doc two\nmore\n']);
  });

  it('reads the embedded corpus: 233 addresses, 10.8 MB', async () => {
    expect(sotuFiles()).toHaveLength(233);
    let bytes = 0;
    let n = 0;
    for await (const d of readSotu()) {
      bytes += Buffer.byteLength(d.text);
      n++;
    }
    expect(n).toBe(233);
    expect(bytes).toBeGreaterThan(10_000_000);
  });
});
