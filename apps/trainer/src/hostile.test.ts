// Bad data and bad arguments to `prepare` and `train` are refused before work, naming the file or
// option and the limit (exit 2 for usage, 1 for data): a corpus with no documents, a vocabulary
// smaller than the bytes, an empty JSONL field, zero threads, a corrupt prepare.json, and a growth
// step that grows nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tokenformer-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const corpus = join(dir, 'corpus');
const prepared = join(dir, 'prepared');

beforeAll(() => {
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'a.txt'), 'the quick brown fox jumps over the lazy dog. '.repeat(40));
  writeFileSync(join(dir, 'bad.jsonl'), 'not json\n{"title": "no text"}\n');
  const r = run(['prepare', '--corpus', corpus, '--out', prepared, '--vocab', '300', '--valid', '0']);
  expect(r.status, r.stderr).toBe(0);
});

describe('prepare and train refuse bad input', () => {
  it.each([
    ['a corpus with no documents', ['prepare', '--corpus', join(dir, 'bad.jsonl'), '--out', join(dir, 'p1'), '--vocab', '300'], 1, /bad\.jsonl: no documents to train on \(lines skipped: 1 badJson, 1 missingField\)/],
    ['a vocabulary smaller than the bytes', ['prepare', '--corpus', corpus, '--out', join(dir, 'p2'), '--vocab', '10'], 2, /--vocab "10" must be an integer >= 257/],
    ['an empty JSONL field', ['prepare', '--corpus', corpus, '--out', join(dir, 'p3'), '--field', ''], 2, /--field "" names no JSONL field/],
    ['an output inside the corpus', ['prepare', '--corpus', corpus, '--out', join(corpus, 'out')], 2, /--out .*out is inside the input --corpus #1/],
    ['a train config that is a folder', ['train', '--data', prepared, '--out', join(dir, 'r4'), '--config', corpus], 2, /cannot read the train config .*corpus: EISDIR/],
    ['zero threads', ['train', '--data', prepared, '--out', join(dir, 'r1'), '--threads', '0'], 2, /--threads "0" must be an integer >= 1/],
    ['a growth step that grows nothing', ['train', '--data', prepared, '--out', join(dir, 'r2'), '--backend', 'cpu', '--growAt=2', '--steps=4'], 2, /--growAt=2 grows nothing/],
    ['a negative count in the settings', ['train', '--data', prepared, '--out', join(dir, 'r3'), '--backend', 'cpu', '--validBatches=-1'], 2, /validBatches = -1 must be an integer >= 1/],
  ])('refuses %s', (_, args, status, message) => {
    const r = run(args as string[]);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(status);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
    for (const out of ['p1', 'r1', 'r2', 'r3']) expect(existsSync(join(dir, out)), `${out} left behind`).toBe(false);
  });

  it.each([
    ['format', (p: Record<string, unknown>) => ({ ...p, format: 'other' }), /prepare\.json: format: unknown format "other"/],
    ['train', (p: Record<string, unknown>) => ({ ...p, train: undefined }), /prepare\.json: train: .* is not a split/],
    ['unigramEntropy', (p: Record<string, unknown>) => ({ ...p, unigramEntropy: 'x' }), /prepare\.json: unigramEntropy: "x" is not an entropy/],
  ])('refuses a prepare.json with a bad %s before training', (field, edit, message) => {
    const copy = join(dir, `prepared-${field}`);
    mkdirSync(copy);
    const report = JSON.parse(readFileSync(join(prepared, 'prepare.json'), 'utf8'));
    writeFileSync(join(copy, 'prepare.json'), JSON.stringify(edit(report)));
    const r = run(['train', '--data', copy, '--out', join(dir, `run-${field}`), '--backend', 'cpu']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('leaves an existing prepared folder as it was when a prepare into it fails, and leaves no staging folder', () => {
    const copy = join(dir, 'prepared-again');
    cpSync(prepared, copy, { recursive: true });
    mkdirSync(join(copy, '.prepare.tmp-999999')); // what a killed prepare leaves
    const before = Object.fromEntries(readdirSync(prepared).map((f) => [f, readFileSync(join(prepared, f))]));
    const failed = run(['prepare', '--corpus', join(dir, 'bad.jsonl'), '--out', copy, '--vocab', '300']);
    expect(failed.status, failed.stderr).toBe(1);
    expect(readdirSync(copy).sort()).toEqual(Object.keys(before).sort());
    for (const [f, bytes] of Object.entries(before)) expect(readFileSync(join(copy, f)).equals(bytes), f).toBe(true);
    const again = run(['prepare', '--corpus', corpus, '--out', copy, '--vocab', '260', '--valid', '0']);
    expect(again.status, again.stderr).toBe(0);
    expect(readdirSync(copy).sort()).toEqual(Object.keys(before).sort());
    expect(JSON.parse(readFileSync(join(copy, 'prepare.json'), 'utf8')).vocabSize).toBe(260);
  });
});
