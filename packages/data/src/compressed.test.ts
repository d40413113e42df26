// Corrupt compressed corpora are refused, naming the file: every zstd frame's content checksum is
// checked (fzstd alone accepts a bit flip inside a block as different text), a truncated .zst or
// .gz is an error, and a decompression bomb stops at the limit instead of running for minutes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CompressedInputError } from './errors.js';
import { readCorpus } from './node/readers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'compressed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function texts(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const d of readCorpus(file, { onMalformed: 'skip' })) out.push(d.text);
  return out;
}

describe('compressed corpora', () => {
  const original = readFileSync(join(fixtures, 'compressed.jsonl.zst'));

  it('reads both checksummed frames of the fixture: the 60 documents it was made from', async () => {
    const docs = await texts(join(fixtures, 'compressed.jsonl.zst'));
    expect(docs).toHaveLength(60);
    expect(docs[59]).toMatch(/^document 59: .* number 3481$/);
  });

  it('refuses every single-byte corruption that would change the text (600 trials), naming the file', async () => {
    const expected = (await texts(join(fixtures, 'compressed.jsonl.zst'))).join('\n');
    const file = join(dir, 'flipped.jsonl.zst');
    let refused = 0;
    for (let trial = 0; trial < 600; trial++) {
      const bytes = Buffer.from(original);
      const at = (trial * 7919) % bytes.length;
      bytes[at] = bytes[at]! ^ (1 << trial % 8);
      writeFileSync(file, bytes);
      try {
        const got = (await texts(file)).join('\n');
        expect(got, `byte ${at} bit ${trial % 8} changed the text and was accepted`).toBe(expected); // e.g. a flip in an unused header bit
      } catch (e) {
        expect(e, `byte ${at}`).toBeInstanceOf(CompressedInputError);
        expect((e as Error).message).toContain(file);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(550);
  });

  it('refuses a truncated .zst and a truncated .gz, naming the file', async () => {
    const zst = join(dir, 'cut.jsonl.zst');
    writeFileSync(zst, original.subarray(0, original.length - 7));
    await expect(texts(zst)).rejects.toThrow(CompressedInputError);
    await expect(texts(zst)).rejects.toThrow(/cut\.jsonl\.zst: .*(truncated|checksum|not valid)/);
    const gz = join(dir, 'cut.jsonl.gz');
    const whole = gzipSync(Buffer.from('{"text": "a"}\n'.repeat(1000)));
    writeFileSync(gz, whole.subarray(0, whole.length - 20));
    await expect(texts(gz)).rejects.toThrow(/cut\.jsonl\.gz: /);
  });

  it('stops a decompression bomb at the ratio limit', async () => {
    const gz = join(dir, 'bomb.txt.gz');
    writeFileSync(gz, gzipSync(Buffer.alloc(80 << 20, 0x61))); // 80 MiB of "a" in about 80 kB
    await expect(texts(gz)).rejects.toThrow(/bomb\.txt\.gz: .*decompresses to more than/);
  });
});
