// The growth experiment's CI smoke: `experimentGrowth.js --quick` (the full experiment's every step
// at a few dozen steps a run) finishes and writes its files. Its numbers are not checked: they mean
// nothing at this size; experiments/growth/README.md holds the full run's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'experimentGrowth.js');
const dir = mkdtempSync(join(tmpdir(), 'experiment-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pnpm experiment:growth -- --quick', () => {
  it('runs every part of the experiment and writes the results, the report and its plots', () => {
    const out = join(dir, 'report');
    const r = spawnSync(process.execPath, [script, '--quick', `--work=${join(dir, 'work')}`, `--out=${out}`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const file of ['README.md', 'results.json', 'loss-vs-compute.svg', 'growth-options.svg', 'pruning.svg']) expect(existsSync(join(out, file)), file).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    for (const run of [results.scratch, results.grown]) expect(Object.keys(run.curve[0]).sort()).toEqual(['flops', 'loss', 'step']); // the shape the figures are checked from
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('## Grown vs scratch');
  }, 900_000);
});
