// Official checkpoints: fixtures saved by PyTorch itself in the GPT-NeoX layout
// (tools/reference/make_official_fixtures.py) are imported and compared with the independent
// reference's logits and greedy tokens; exports are read back bit for bit (and by torch, when
// Debian's python3-torch is installed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachBackend, expectAllClose, fixturePath, readF32Safetensors, readJson, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesSource, configToJson, ConfigError, type TokenFormer } from '../index.js';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint } from '../node.js';
import { configFromOfficial, exportOfficial, importOfficial, neoxArgsFromConfig, readTorchStateDict, tensorToFloat32 } from './index.js';
import { memorySink } from './memorySink.test-helper.js';

const DIR = fixturePath('official');
const ARGS = parse(readFileSync(join(DIR, 'config.yml'), 'utf8')) as Record<string, unknown>;
const EXPECTED = readJson<{ ids: number[][]; greedy: { prompt: number[]; tokens: number[] } }>(join(DIR, 'expected.json'));
const ORIGINAL = readF32Safetensors(join(DIR, 'model.safetensors')); // official names, float32 (independent reader)
const FILES = ['pytorch_model.bin', 'pytorch_model_shared.bin', 'pytorch_model_legacy.bin', 'model.safetensors'];
const read = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));

async function stateDictValues(bytes: Uint8Array): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const sd = await readTorchStateDict(bytesSource(bytes));
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of sd.tensors) out.set(name, { shape: t.shape, data: tensorToFloat32(t, await sd.readStorage(t.storage)) });
  return out;
}

function expectBitEqual(a: Float32Array, b: Float32Array, name: string): void {
  expect(a.length, name).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) expect.fail(`${name}[${i}]: ${a[i]} != ${b[i]}`);
}

describe('reading PyTorch state dicts', () => {
  for (const file of FILES) {
    it(`${file}: every official tensor, bit for bit`, async () => {
      const values = await stateDictValues(read(file));
      expect([...values.keys()].sort()).toEqual([...ORIGINAL.keys()].sort());
      for (const [name, { shape, data }] of ORIGINAL) {
        expect(values.get(name)?.shape, name).toEqual(shape);
        expectBitEqual(values.get(name)!.data, data, name);
      }
    });
  }

  it('pytorch_model_fp16.bin: float16 storages are widened exactly', async () => {
    const values = await stateDictValues(read('pytorch_model_fp16.bin'));
    for (const [name, { data }] of ORIGINAL) {
      const got = values.get(name)!.data;
      // float16 keeps 11 significant bits: relative error ≤ 2^-11 (plus subnormals near 0).
      for (let i = 0; i < data.length; i++) expect(Math.abs(got[i]! - data[i]!)).toBeLessThanOrEqual(Math.abs(data[i]!) * 2 ** -11 + 2 ** -24);
    }
  });

  it('detects the format from the first bytes', async () => {
    const formats = await Promise.all(FILES.map(async (f) => (await readTorchStateDict(bytesSource(read(f)))).format));
    expect(formats).toEqual(['zip', 'zip', 'legacy', 'safetensors']);
  });
});

describe('GPT-NeoX config ↔ ours', () => {
  const shapes = new Map([...ORIGINAL].map(([name, t]) => [name, t.shape]));

  it('infers the shapes and takes the rest from the yml', () => {
    const config = configFromOfficial(shapes, ARGS);
    expect(config).toMatchObject({ vocabSize: 128, hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, rotaryPct: 0.25, maxSeqLen: 64, normActivationType: 'l2_norm_gelu' });
    expect(config.layers.map((l) => [l.query.paramTokenNum, l.key.paramTokenNum, l.value.paramTokenNum, l.proj.paramTokenNum, l.ffn.paramTokenNum])).toEqual([[24, 24, 24, 20, 64], [24, 24, 24, 20, 64]]);
    // ...and the config's own GPT-NeoX arguments read back to the same config.
    expect(configFromOfficial(shapes, neoxArgsFromConfig(config))).toEqual(config);
  });

  it('accepts dashes for underscores, and released values for keys left out', () => {
    const config = configFromOfficial(shapes, { 'num-attention-heads': 4, 'seq-length': 64 });
    expect(config).toMatchObject({ rotaryPct: 0.25, rotaryEmbBase: 10000, normActivationType: 'l2_norm_gelu', layerNormEps: 1e-5 });
  });

  it.each([
    [{ hidden_size: 64 }, /hidden_size = 64 contradicts the tensors: .* is \[128,32\], so the width is 32/],
    [{ qkv_slot_num: 32 }, /qkv_slot_num = 32 contradicts the tensors: .*has 24 tokens/],
    [{ num_layers: 3 }, /num_layers = 3 contradicts the tensors: the number of blocks is 2/],
    [{ pos_emb: 'learned' }, /pos_emb: "learned" is not TokenFormer's/],
    [{ norm: 'rmsnorm' }, /norm: "rmsnorm" is not TokenFormer's/],
    [{ no_weight_tying: true }, /no_weight_tying = true contradicts/],
    [{ num_attention_heads: undefined }, /num_attention_heads is required/],
    [{ hidden_size: '32' }, /hidden_size must be a number, got "32"/],
    [{ 'hidden-size': 64 }, /hidden_size is given twice with different values/],
    [{ seq_length: 'abc', max_position_embeddings: 64 }, /seq_length must be a number, got "abc"/],
    [{ seq_length: 1e12 }, /seq_length = 1000000000000 must be an integer in \[1, 1048576\]/],
    [{ seq_length: 128, max_position_embeddings: 64 }, /seq_length = 128 is longer than max_position_embeddings = 64/],
  ])('rejects %j', (change, message) => {
    expect(() => configFromOfficial(shapes, { ...ARGS, ...change })).toThrow(ConfigError);
    expect(() => configFromOfficial(shapes, { ...ARGS, ...change })).toThrow(message);
  });

  it('refuses to export what GPT-NeoX cannot express', () => {
    const config = configFromOfficial(shapes, ARGS);
    const pinned = structuredClone(config);
    pinned.layers[1]!.ffn.tau = 8;
    expect(() => neoxArgsFromConfig(pinned)).toThrow(/layers\[1\].ffn.tau is pinned to 8/);
    const uneven = structuredClone(config);
    uneven.layers[1]!.proj.paramTokenNum = 28;
    expect(() => neoxArgsFromConfig(uneven)).toThrow(/layers\[1\].proj has 28 tokens where layers\[0\].proj has 20/);
    expect(neoxArgsFromConfig(config, { tokenizerVocabSize: 100 }).make_vocab_size_divisible_by).toBe(128);
    expect(neoxArgsFromConfig(config, { tokenizerVocabSize: 10 }).make_vocab_size_divisible_by).toBe(128 /* ceil(10/128)*128 = 128 */);
  });
});

describeEachBackend('importing official checkpoints', (backend) => {
  beforeAll(() => useBackend(backend));
  const expected = readF32Safetensors(join(DIR, 'expected.safetensors')).get('logits')!;

  for (const file of ['pytorch_model.bin', 'pytorch_model_shared.bin']) {
    it(`${file}: logits within 1e-4 of the reference, and its greedy tokens`, async () => {
      const model = await importOfficial(bytesSource(read(file)), ARGS);
      const logits = model.forward(EXPECTED.ids);
      const maxDiff = expectAllClose(await logits.data(), expected.data, 0, 1e-4);
      console.info(`official import ${file} [${backend}]: max |logit diff| ${maxDiff.toExponential(2)}`);
      logits.dispose();
      expect(await model.generate(EXPECTED.greedy.prompt, { maxNewTokens: EXPECTED.greedy.tokens.length, temperature: 0 })).toEqual(EXPECTED.greedy.tokens);
      model.dispose();
    });
  }

  it('leaves no tensors behind', async () => {
    expect(await tensorsLeakedBy(async () => (await importOfficial(bytesSource(read('pytorch_model.bin')), ARGS)).dispose())).toBe(0);
  });
});

describe('exporting', () => {
  let model: TokenFormer;
  beforeAll(async () => {
    await useBackend('cpu');
    model = await importOfficial(bytesSource(read('pytorch_model.bin')), ARGS);
  });

  it('official → ours → official reproduces every tensor bit for bit, in GPT-NeoX order', async () => {
    const out = memorySink();
    const args = await exportOfficial(model, out.sink);
    const values = await stateDictValues(out.bytes());
    const original = await stateDictValues(read('pytorch_model.bin'));
    expect([...values.keys()]).toEqual([...original.keys()]);
    for (const [name, { data }] of original) expectBitEqual(values.get(name)!.data, data, name);
    expect(args).toMatchObject({ num_layers: 2, hidden_size: 32, qkv_slot_num: 24, proj_slot_num: 20, ffn_slot_num: 64, rotary_pct: 0.25, norm: 'layernorm_nonparam' });
  });

  it('the written zip aligns every storage to 64 bytes, as torch.save does', async () => {
    const out = memorySink();
    await exportOfficial(model, out.sink);
    const bytes = out.bytes();
    const view = new DataView(bytes.buffer);
    let aligned = 0;
    for (let at = 0; at + 30 < bytes.length && view.getUint32(at, true) === 0x04034b50;) {
      const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
      expect(start % 64).toBe(0);
      aligned++;
      at = start + view.getUint32(at + 22, true);
    }
    expect(aligned).toBe(1 + 23 + 2); // data.pkl, 23 storages, version, byteorder
  });

  it('ZIP64 records (forced by a low threshold) read back the same', async () => {
    const out = memorySink();
    await exportOfficial(model, out.sink, { zip64Threshold: 100 });
    const values = await stateDictValues(out.bytes());
    for (const [name, { data }] of ORIGINAL) expectBitEqual(values.get(name)!.data, data, name);
  });

  const torchPython = (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.runIf(torchPython)('torch.load + a strict load_state_dict accept the export and compute our logits; Python reads its ZIP64 form', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tf-export-'));
    writeFileSync(join(tmp, 'config.json'), JSON.stringify(configToJson(model.config)));
    writeFileSync(join(tmp, 'ids.json'), JSON.stringify(EXPECTED.ids));
    const logits = model.forward(EXPECTED.ids);
    const ours = await logits.data();
    logits.dispose();
    await exportOfficialToFile(model, join(tmp, 'pytorch_model.bin'));
    const script = fixturePath('..', 'reference', 'check_official_export.py');
    const result = JSON.parse(execFileSync('/usr/bin/python3', [script, join(tmp, 'pytorch_model.bin'), join(tmp, 'config.json'), join(tmp, 'ids.json')], { encoding: 'utf8' })) as { logits: number[] };
    expectAllClose(ours, Float32Array.from(result.logits), 0, 1e-4);
    // A forced low threshold puts ZIP64 fields on small entries; miniz (torch) only meets those above
    // 4 GiB, where its range checks differ, so Python's zipfile checks this form (CRCs included).
    await exportOfficialToFile(model, join(tmp, 'zip64.bin'), { zip64Threshold: 100 });
    const check = 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.infolist()))';
    expect(execFileSync('/usr/bin/python3', ['-c', check, join(tmp, 'zip64.bin')], { encoding: 'utf8' }).trim()).toBe('26');
  });

  it('import to a directory streams into the same checkpoint the model saves', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tf-import-'));
    for (const file of FILES) {
      const result = await importOfficialToDir(join(DIR, file), ARGS, join(tmp, file), { extraFiles: { 'note.txt': 'x' } });
      expect(result.tensors).toBe(23);
      const loaded = await loadCheckpoint(join(tmp, file));
      const a = loaded.exportWeights();
      const b = model.exportWeights();
      for (const [name, t] of a) expectBitEqual((await t.data()) as Float32Array, (await b.get(name)!.data()) as Float32Array, name);
      tf.dispose([...a.values(), ...b.values()]);
      loaded.dispose();
      expect(existsSync(join(tmp, file, 'note.txt'))).toBe(true);
    }
  });
});
