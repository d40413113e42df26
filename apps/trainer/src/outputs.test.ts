// Outputs never overwrite inputs, and an existing output is replaced only with --overwrite: grow,
// prune, export and import refuse before any work (exit 2), naming the option and the input.
// Bad numbers (an empty --max-new-tokens) are usage errors, not 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { saveCheckpoint } from '@tokenformer/model/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tokenformer-outputs-'));
const ckpt = join(dir, 'ckpt');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args, ...(args[0] === 'import' ? [] : ['--backend', 'cpu'])], { encoding: 'utf8' });

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = new TokenFormer(createConfig({ vocabSize: 64, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 32 }), { seed: 1 });
  await saveCheckpoint(model, ckpt);
  model.dispose();
  symlinkSync(ckpt, join(dir, 'link'));
  mkdirSync(join(dir, 'existing'));
  writeFileSync(join(dir, 'existing', 'f.txt'), 'a file');
});

describe('outputs never overwrite inputs', () => {
  const weights = () => readFileSync(join(ckpt, 'model.safetensors'));

  it.each([
    ['grow into its own checkpoint', ['grow', '--checkpoint', ckpt, '--out', ckpt, '--add-ffn', '4'], /--out .*ckpt is the input --checkpoint/],
    ['grow inside it', ['grow', '--checkpoint', ckpt, '--out', join(ckpt, 'grown'), '--add-ffn', '4'], /--out .*grown is inside the input --checkpoint/],
    ['grow through a symbolic link to it', ['grow', '--checkpoint', join(dir, 'link'), '--out', ckpt, '--add-ffn', '4'], /--out .* is the input --checkpoint/],
    ['export over its weights', ['export', '--checkpoint', ckpt, '--out', join(ckpt, 'model.safetensors')], /--out .*model\.safetensors is inside the input --checkpoint/],
    ['export its yml into the checkpoint', ['export', '--checkpoint', ckpt, '--out', join(dir, 'x.bin'), '--config-out', join(ckpt, 'config.json')], /--config-out .*config\.json is inside the input --checkpoint/],
    ['import over its source', ['import', '--from', join(ckpt, 'model.safetensors'), '--config', join(ckpt, 'config.json'), '--out', ckpt], /--out .*ckpt holds the input --from/],
    ['export its yml under a file', ['export', '--checkpoint', ckpt, '--out', join(dir, 'y.bin'), '--config-out', join(dir, 'existing', 'f.txt', 'neox.yml')], /--config-out .*f\.txt is a file, not a folder/],
    ['grow over an existing output', ['grow', '--checkpoint', ckpt, '--out', join(dir, 'existing'), '--add-ffn', '4'], /--out .*existing exists: pass --overwrite to replace it/],
  ])('refuses to %s (exit 2), touching nothing', (_, args, message) => {
    const before = weights();
    const r = run(args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(weights().equals(before)).toBe(true);
    expect(existsSync(join(dir, 'y.bin'))).toBe(false); // nothing written before the refusal
  });

  it('takes an empty number as a usage error, not 0', () => {
    const r = run(['generate', '--checkpoint', ckpt, '--max-new-tokens', '']);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/--max-new-tokens "" is not a number/)]);
  });
});
