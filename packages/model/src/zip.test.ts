// The checkpoint .zip against Info-ZIP (Debian's zip/unzip), an independent writer and reader.
import { tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, TokenFormer, createConfig, loadCheckpointFromZip, serializeCheckpoint, unzipCheckpoint, zipCheckpoint } from './index.js';
import { extractCheckpointZip, loadCheckpoint, saveCheckpoint } from './node.js';

const config = createConfig({ vocabSize: 50, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 12, maxSeqLen: 16 });

async function sameWeights(a: TokenFormer, b: TokenFormer): Promise<void> {
  const x = a.exportWeights();
  const y = b.exportWeights();
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  for (const [name, t] of x) expect(Array.from(await y.get(name)!.data()), name).toEqual(Array.from(await t.data()));
  for (const t of [...x.values(), ...y.values()]) t.dispose();
}

describe('checkpoint .zip', () => {
  let dir: string;
  let model: TokenFormer;
  beforeAll(async () => {
    await useBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'tokenformer-zip-'));
    model = new TokenFormer(config, { seed: 3 });
  });
  afterAll(async () => {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('zips what Info-ZIP unzips to the same bytes, and loads back bit for bit', async () => {
    const { config: json, weights } = await serializeCheckpoint(model);
    const zip = zipCheckpoint({ 'config.json': json, 'model.safetensors': weights, 'tokenizer.json': '{"x":1}' });
    await writeFile(join(dir, 'ours.zip'), zip);
    execFileSync('unzip', ['-q', join(dir, 'ours.zip'), '-d', join(dir, 'unzipped')]);
    expect(await readFile(join(dir, 'unzipped', 'config.json'), 'utf8')).toBe(json);
    expect(new Uint8Array(await readFile(join(dir, 'unzipped', 'model.safetensors')))).toEqual(weights);
    const before = tf.memory().numTensors;
    const loaded = loadCheckpointFromZip(zip);
    await sameWeights(model, loaded);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads a directory zipped by Info-ZIP (files in one folder), through loadCheckpoint and extractCheckpointZip', async () => {
    await saveCheckpoint(model, join(dir, 'ckpt'), { extraFiles: { 'tokenizer.json': '{"t":2}' } });
    execFileSync('zip', ['-qr', 'theirs.zip', 'ckpt'], { cwd: dir });
    const zipPath = join(dir, 'theirs.zip');
    const loaded = await loadCheckpoint(zipPath);
    await sameWeights(model, loaded);
    loaded.dispose();
    const unpacked = extractCheckpointZip(zipPath);
    expect(await readFile(join(unpacked, 'tokenizer.json'), 'utf8')).toBe('{"t":2}');
    expect(await readFile(join(unpacked, 'model.safetensors'))).toEqual(await readFile(join(dir, 'ckpt', 'model.safetensors')));
  });

  it('refuses what is not a zipped checkpoint, naming the file', async () => {
    expect(() => unzipCheckpoint(new TextEncoder().encode('{"not":"a zip"}'), 'x.zip')).toThrow(/x\.zip is not a zip archive/);
    await mkdir(join(dir, 'other'), { recursive: true });
    await writeFile(join(dir, 'other', 'readme.txt'), 'hello');
    execFileSync('zip', ['-qr', 'other.zip', 'other'], { cwd: dir });
    const other = new Uint8Array(await readFile(join(dir, 'other.zip')));
    expect(() => unzipCheckpoint(other, 'other.zip')).toThrow(CheckpointError);
    expect(() => unzipCheckpoint(other, 'other.zip')).toThrow(/other\.zip has no config\.json/);
    const truncated = (await readFile(join(dir, 'theirs.zip'))).subarray(0, 200);
    expect(() => unzipCheckpoint(new Uint8Array(truncated), 'cut.zip')).toThrow(/cut\.zip/);
    expect(() => zipCheckpoint({ 'config.json': '{}' })).toThrow(/model\.safetensors are required/);
    // a zip whose config does not fit its weights: the config error names the zip
    const { weights } = await serializeCheckpoint(model);
    const bad = zipCheckpoint({ 'config.json': JSON.stringify({ format: 'tokenformer-ts/1' }), 'model.safetensors': weights });
    expect(await tensorsLeakedBy(() => expect(() => loadCheckpointFromZip(bad, 'bad.zip')).toThrow(/bad\.zip/))).toBe(0);
  });
});
