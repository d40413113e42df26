// The hostile-input suite (issue 19): hostile and corrupted files of every format we read, run
// through the readers users have, and wrong invocations of both CLIs. Every file is refused with a
// typed error naming it, read unchanged, or read as another valid file where the format cannot tell
// (documented per format); none hangs, none gets an untyped or anonymous error. Every invocation
// ends fast with exit 2 (usage) or 1 (data), a message naming the option or path, no stack trace.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { BpeTrainer } from '@tokenformer/tokenizer';
import { saveCheckpoint } from '@tokenformer/model/node';
import { useBackend } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCases, runCliCases } from './hostile/cliCases.js';
import { dataFormats } from './hostile/dataFormats.js';
import { modelFormats } from './hostile/modelFormats.js';
import { zipFormat } from './hostile/zipFormat.js';
import { outcomeTable, runFormat, type CaseResult } from './hostile/runner.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hostile files', () => {
  it('are refused with the file named, read unchanged, or read as a valid file where the format cannot tell; none hangs', async () => {
    await useBackend('cpu');
    const results: CaseResult[] = [];
    for (const f of [...(await modelFormats(work)), await zipFormat(), ...dataFormats(work)]) results.push(...(await runFormat(f, work)));
    const table = outcomeTable(results);
    mkdirSync(join(ROOT, '.test-results'), { recursive: true });
    writeFileSync(join(ROOT, '.test-results', 'hostile.md'), `${table}\n\n${results.map((r) => `- ${r.format} / ${r.mutant}: ${r.outcome} ${r.detail}`).join('\n')}\n`);
    console.log(table);
    expect(results.length).toBeGreaterThanOrEqual(300);
    expect(results.filter((r) => r.outcome === 'unhelpful' || r.outcome === 'hang').map((r) => `${r.format} / ${r.mutant}: ${r.outcome}: ${r.detail}`)).toEqual([]);
    // formats that can tell: a compressed corpus with checksums, config and state files, NaN weights
    const mustTell = ['.jsonl.zst', 'config.json', 'trainer_state.json', '.jsonl', 'checkpoint .zip']; // (an empty solution string in a task row is valid, as in the harness)
    expect(results.filter((r) => mustTell.includes(r.format) && r.outcome === 'accepted').map((r) => `${r.format} / ${r.mutant}`)).toEqual([]);
    expect(results.filter((r) => r.format === 'model.safetensors' && /set to/.test(r.mutant) && r.outcome !== 'refused')).toEqual([]);
  }, 300_000);
});

describe('wrong CLI invocations', () => {
  it('end fast with exit 2 or 1, a message naming the option or path, and no stack trace', async () => {
    await useBackend('cpu');
    const ckpt = join(work, 'cli-ckpt');
    const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
    trainer.feed('some held-out text and more text '.repeat(10));
    const model = new TokenFormer(createConfig({ vocabSize: 300, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 32 }), { seed: 1 });
    await saveCheckpoint(model, ckpt, { extraFiles: { 'tokenizer.json': trainer.train().toString() } });
    model.dispose();
    const dir = join(work, 'cli');
    mkdirSync(dir);
    writeFileSync(join(dir, 't.txt'), 'some held-out text');
    writeFileSync(join(dir, 'bad.zip'), 'PK\x03\x04 a zip header and nothing more');
    mkdirSync(join(dir, 'empty-folder'));
    writeFileSync(join(dir, 'piqa.jsonl'), '{"goal": "g", "sol1": "a", "sol2": "b", "label": 0}\n');
    const cases = cliCases(ckpt, dir);
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const bins = { tokenformer: join(ROOT, 'apps', 'trainer', 'dist', 'cli.js'), 'tokenformer-eval': join(ROOT, 'apps', 'eval', 'dist', 'cli.js') };
    const results = await runCliCases(cases, bins);
    const wrong = results
      .filter((r) => r.got !== r.status || !r.says.test(r.stderr) || /\n\s+at .*:\d+:\d+/.test(r.stderr))
      .map((r) => `${r.bin} ${r.args.join(' ')}: exit ${r.got} (expected ${r.status}) in ${r.ms} ms: ${r.stderr.trim().slice(0, 200)}`);
    expect(wrong).toEqual([]);
  }, 300_000);
});
