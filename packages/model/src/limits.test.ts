// Hostile checkpoints and configs are refused before any work, naming the file, field and limit:
// NaN/Inf weights (own and official formats), sizes past CONFIG_LIMITS (which used to allocate for
// minutes, or die in a typed-array constructor), and a checkpoint file that is not a regular file
// (a FIFO would block the read forever).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { deserializeCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { configToJson } from './configJson.js';
import { CONFIG_LIMITS, validateConfig } from './config.js';
import { ConfigError, SafetensorsError } from './errors.js';
import { TokenFormer } from './model.js';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint, saveCheckpoint } from './node.js';
import { preset } from './presets.js';
import { serializeSafetensors } from './safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('limits and hostile checkpoints [cpu]', () => {
  it.each([
    ['maxSeqLen', { maxSeqLen: 1e9 }, /maxSeqLen = 1000000000 is over the limit 1048576/],
    ['vocabSize', { vocabSize: 1e12 }, /vocabSize = 1000000000000 is over the limit 16777216/],
    ['numLayers', { numLayers: 5000 }, /numLayers = 5000 is over the limit 1024/],
    ['embeddings', { vocabSize: 1 << 24, hiddenSize: 1 << 8 }, /word embeddings .* over 2147483647 elements/],
  ])('refuses %s past its limit', (_, change, message) => {
    const config = { ...preset('tiny'), ...change };
    if ('numLayers' in change) config.layers = Array.from({ length: config.numLayers }, () => preset('tiny').layers[0]!);
    expect(() => validateConfig(config)).toThrow(ConfigError);
    expect(() => validateConfig(config)).toThrow(message);
  });

  it('refuses a paramTokenNum past its limit (a grown or hand-edited config)', () => {
    const config = preset('tiny');
    config.layers[1]!.ffn.paramTokenNum = CONFIG_LIMITS.paramTokenNum + 1;
    expect(() => validateConfig(config)).toThrow(/layers\[1\]\.ffn\.paramTokenNum = 16777217 is over the limit/);
  });

  it('refuses NaN and Inf weights in our checkpoints, naming the directory, tensor and index', async () => {
    await useBackend('cpu');
    const model = new TokenFormer(preset('tiny'), { seed: 1 });
    const { config } = await serializeCheckpoint(model);
    const tensors = [...model.exportWeights()].map(([name, t]) => {
      const data = t.dataSync() as Float32Array;
      t.dispose();
      if (name === 'layers.1.mlp.valueParamTokens') data[5] = Number.NaN;
      if (name === 'finalNorm.bias') data[0] = Number.POSITIVE_INFINITY;
      return { name, shape: t.shape, data };
    });
    const bytes = serializeSafetensors(tensors);
    expect(() => deserializeCheckpoint(config, bytes)).toThrow(SafetensorsError);
    expect(() => deserializeCheckpoint(config, bytes)).toThrow(/(layers\.1\.mlp\.valueParamTokens: value NaN at flat index 5|finalNorm\.bias: value Infinity at flat index 0); every value must be finite/);
    const ckpt = join(dir, 'nan');
    await saveCheckpoint(model, ckpt);
    writeFileSync(join(ckpt, 'model.safetensors'), bytes);
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(new RegExp(`${ckpt}: .*every value must be finite`));
    model.dispose();
  });

  it('refuses NaN weights in an official pytorch_model.bin', async () => {
    await useBackend('cpu');
    const model = new TokenFormer(preset('tiny'), { seed: 2 });
    const v = model.namedVariables().get('layers.0.attention.query.valueParamTokens')!.variable;
    v.assign(v.mul(Number.NaN));
    const file = join(dir, 'nan.bin');
    const neoxArgs = await exportOfficialToFile(model, file);
    await expect(importOfficialToDir(file, neoxArgs, join(dir, 'imported'))).rejects.toThrow(/every value must be finite/);
    model.dispose();
  });

  it('refuses a checkpoint file that is not a regular file (a FIFO would block forever)', async () => {
    const ckpt = join(dir, 'fifo');
    execFileSync('mkdir', ['-p', ckpt]);
    writeFileSync(join(ckpt, 'config.json'), JSON.stringify(configToJson(preset('tiny'))));
    execFileSync('mkfifo', [join(ckpt, 'model.safetensors')]);
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(/model\.safetensors is not a regular file/);
  });
});
