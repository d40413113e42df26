import { tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError, ConfigError, TokenFormer, configToJson, createConfig, deserializeCheckpoint, loadCheckpointFromUrl,
  parseSafetensors, serializeCheckpoint, serializeSafetensors,
} from './index.js';
import { loadCheckpoint, saveCheckpoint } from './node.js';

const config = createConfig({ vocabSize: 50, hiddenSize: 16, numLayers: 2, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 12, ffnSlotNum: 20, maxSeqLen: 32 });

describe('checkpoints', () => {
  let dir: string;
  let model: TokenFormer;
  beforeAll(async () => {
    await useBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'tokenformer-ckpt-'));
    model = new TokenFormer(config, { seed: 8 });
  });
  afterAll(async () => {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves and loads a directory bit for bit, with config.json in our format', async () => {
    const target = join(dir, 'a');
    await saveCheckpoint(model, target, { extraFiles: { 'tokenizer.json': '{}' } });
    expect((await readdir(target)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    const json = JSON.parse(await readFile(join(target, 'config.json'), 'utf8'));
    expect(json.format).toBe('tokenformer-ts/1');
    expect(json.vocabSize).toBe(128);
    expect(json.layers[1].ffn).toEqual({ paramTokenNum: 20, tau: null });
    const loaded = await loadCheckpoint(target);
    const mine = model.exportWeights();
    const theirs = loaded.exportWeights();
    for (const [name, v] of mine) {
      expect(Array.from((await theirs.get(name)!.data())), name).toEqual(Array.from((await v.data())));
    }
    tf.dispose([...mine.values(), ...theirs.values()]);
    const ids = [[1, 2, 3, 4]];
    const a = model.forward(ids);
    const b = loaded.forward(ids);
    expect(Array.from((await b.data()))).toEqual(Array.from((await a.data())));
    tf.dispose([a, b]);
    loaded.dispose();
  });

  it('replaces an existing checkpoint atomically and leaves no temporary directories', async () => {
    const target = join(dir, 'b');
    await saveCheckpoint(model, target);
    await saveCheckpoint(model, target);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
    expect((await readdir(target)).sort()).toEqual(['config.json', 'model.safetensors']);
  });

  it('a failed save leaves the previous checkpoint intact', async () => {
    const target = join(dir, 'c');
    await saveCheckpoint(model, target);
    const before = await readFile(join(target, 'model.safetensors'));
    await expect(saveCheckpoint(model, target, { extraFiles: { 'config.json': 'x' } })).rejects.toThrow(CheckpointError);
    expect(Buffer.compare(await readFile(join(target, 'model.safetensors')), before)).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('rejects missing, extra and mis-shaped tensors, unknown config keys and a wrong format tag', async () => {
    const { config: text, weights } = await serializeCheckpoint(model);
    const file = parseSafetensors(weights);
    const rebuilt = (drop: string, extra?: { name: string; shape: number[] }) => {
      const tensors = [...file.tensors].filter(([n]) => n !== drop).map(([name, e]) => ({ name, shape: e.shape, data: new Float32Array(e.bytes.slice().buffer) }));
      if (extra) tensors.push({ ...extra, data: new Float32Array(extra.shape.reduce((a, b) => a * b, 1)) });
      return serializeSafetensors(tensors);
    };
    expect(() => deserializeCheckpoint(text, rebuilt('layers.1.mlp.keyParamTokens'))).toThrow(/the weights lack tensor layers.1.mlp.keyParamTokens \[20,16\]/);
    expect(() => deserializeCheckpoint(text, rebuilt('', { name: 'extra', shape: [2] }))).toThrow(/the weights have tensor extra, which the config does not use/);
    expect(() => deserializeCheckpoint(text, rebuilt('finalNorm.bias', { name: 'finalNorm.bias', shape: [17] }))).toThrow(/finalNorm.bias has shape \[17\], the config needs \[16\]/);
    const json = configToJson(config);
    expect(() => deserializeCheckpoint({ ...json, hiddenSizes: 3 }, weights)).toThrow(/unknown key "hiddenSizes"/);
    expect(() => deserializeCheckpoint({ ...json, format: 'other/1' }, weights)).toThrow(ConfigError);
    const layers = structuredClone(json.layers) as Record<string, unknown>[];
    (layers[0]!.query as Record<string, unknown>).taus = 1;
    expect(() => deserializeCheckpoint({ ...json, layers }, weights)).toThrow(/unknown key "taus" in layers\[0\].query/);
    await expect(loadCheckpoint(join(dir, 'missing'))).rejects.toThrow(/cannot read .*missing\/config.json/);
  });

  it('loads from URLs with fetch, and leaks no tensors doing so', async () => {
    const { config: text, weights } = await serializeCheckpoint(model);
    const files: Record<string, BodyInit> = { 'https://example.test/ckpt/config.json': text, 'https://example.test/ckpt/model.safetensors': weights as unknown as BodyInit };
    const fakeFetch = (async (url: string) => (files[url] ? new Response(files[url]) : new Response('no', { status: 404 }))) as unknown as typeof fetch;
    let loaded: TokenFormer | undefined;
    const leaked = await tensorsLeakedBy(async () => {
      loaded = await loadCheckpointFromUrl('https://example.test/ckpt', fakeFetch);
      loaded.dispose();
    });
    expect(leaked).toBe(0);
    await expect(loadCheckpointFromUrl('https://example.test/none/', fakeFetch)).rejects.toThrow(/404/);
  });
});
