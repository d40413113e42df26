// The tokenformer-data command, as a user runs it (the built bin; `pnpm test` builds first).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';
import { IndexedDataset } from './node/dataset.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'data-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tokenformer-data', () => {
  it('preprocesses a JSONL file on worker threads and inspects the result', () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, ['{"text": "Hello world"}', 'oops', '{"text": "Second document."}', ''].join('\n'));
    const out = execFileSync(process.execPath, [cli, 'preprocess', '--input', input, '--tokenizer', npmAsset(NEOX_20B_TOKENIZER), '--output', join(dir, 'd'), '--workers', '2'], { encoding: 'utf8' });
    const report = JSON.parse(out);
    expect(report.train.documents).toBe(2);
    expect(report.skipped.badJson).toBe(1);
    const ds = IndexedDataset.open(join(dir, 'd_text_document'));
    expect([...ds.get(0)]).toEqual([12092, 1533, 0]); // "Hello world" + <|endoftext|>
    ds.close();
    const info = JSON.parse(execFileSync(process.execPath, [cli, 'inspect', join(dir, 'd_text_document')], { encoding: 'utf8' }));
    expect(info).toMatchObject({ dtype: 'uint16', items: 2, documents: 2 });
  });

  it('stops at a malformed line with --strict, naming it, and exits 2 on usage errors', () => {
    const input = join(dir, 'bad.jsonl');
    writeFileSync(input, '{"text": "fine"}\n{"nope": 1}\n');
    const strict = spawnSync(process.execPath, [cli, 'preprocess', '--input', input, '--tokenizer', npmAsset(NEOX_20B_TOKENIZER), '--output', join(dir, 'e'), '--strict', '--workers', '1'], { encoding: 'utf8' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/bad\.jsonl:2: no string field "text"/);
    const usage = spawnSync(process.execPath, [cli, 'preprocess', '--input', input], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/needs --tokenizer, --output/);
  });
});
