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
import {
  bytesSource, configFromOfficial, configToJson, exportOfficial, importOfficial, neoxArgsFromConfig, openOfficialCheckpoint,
  readTorchStateDict, tensorToFloat32, ConfigError, CheckpointError, TorchFileError, type TokenFormer,
} from '../index.js';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint, openFileSource } from '../node.js';

const DIR = fixturePath('official');
const ARGS = parse(readFileSync(join(DIR, 'config.yml'), 'utf8')) as Record<string, unknown>;
const EXPECTED = readJson<{ ids: number[][]; greedy: { prompt: number[]; tokens: number[] } }>(join(DIR, 'expected.json'));
const ORIGINAL = readF32Safetensors(join(DIR, 'model.safetensors')); // official names, float32 (independent reader)
const FILES = ['pytorch_model.bin', 'pytorch_model_shared.bin', 'pytorch_model_legacy.bin', 'model.safetensors'];
const read = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));

function memorySink() {
  const chunks: Uint8Array[] = [];
  return {
    sink: { write: async (chunk: Uint8Array) => void chunks.push(chunk.slice()) },
    bytes: () => {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let at = 0;
      for (const c of chunks) (out.set(c, at), (at += c.byteLength));
      return out;
    },
  };
}

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

describe('hostile and broken files', () => {
  async function zipWith(pickle: Uint8Array, storages: Record<string, Uint8Array> = {}): Promise<Uint8Array> {
    const { ZipWriter } = await import('../index.js');
    const out = memorySink();
    const zip = new ZipWriter(out.sink);
    await zip.add('archive/data.pkl', pickle);
    for (const [key, bytes] of Object.entries(storages)) await zip.add(`archive/data/${key}`, bytes);
    await zip.finish();
    return out.bytes();
  }
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const pickleOf = (...parts: (number | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : [p])));
  const open = async (bytes: Uint8Array) => readTorchStateDict(bytesSource(bytes));

  it('refuses a GLOBAL outside the allow-list before anything runs (os.system)', async () => {
    // PROTO 2, GLOBAL os.system, SHORT_BINUNICODE "echo pwned", TUPLE1, REDUCE, STOP
    const bytes = await zipWith(pickleOf(0x80, 2, 0x63, 'os\nsystem\n', 0x8c, 10, 'echo pwned', 0x85, 0x52, 0x2e));
    await expect(open(bytes)).rejects.toThrow(TorchFileError);
    await expect(open(bytes)).rejects.toThrow(/GLOBAL os.system is not allowed in a state dict \(allowed: collections.OrderedDict, .*\) \(at byte 2\)/);
  });

  it('refuses STACK_GLOBAL builtins.eval, and REDUCE of an allowed name that is not a function', async () => {
    const evil = pickleOf(0x80, 4, 0x8c, 8, 'builtins', 0x8c, 4, 'eval', 0x93, 0x2e);
    await expect(open(await zipWith(evil))).rejects.toThrow(/GLOBAL builtins.eval is not allowed/);
    const storageCall = pickleOf(0x80, 2, 0x63, 'torch\nFloatStorage\n', 0x29, 0x52, 0x2e);
    await expect(open(await zipWith(storageCall))).rejects.toThrow(/torch.FloatStorage cannot be called/);
  });

  it('refuses opcodes a state dict never uses (INST, OBJ, NEWOBJ)', async () => {
    await expect(open(await zipWith(pickleOf(0x80, 2, 0x28, 0x69, 'os\nsystem\n', 0x2e)))).rejects.toThrow(/opcode INST is not allowed/);
    await expect(open(await zipWith(pickleOf(0x80, 2, 0x29, 0x29, 0x81, 0x2e)))).rejects.toThrow(/opcode NEWOBJ is not allowed/);
  });

  it('refuses truncated files with a typed error', async () => {
    const zip = read('pytorch_model.bin');
    for (const cut of [10, 4096, zip.length - 30, zip.length - 1]) {
      await expect(open(zip.subarray(0, cut))).rejects.toThrow(TorchFileError);
    }
    const legacy = read('pytorch_model_legacy.bin');
    for (const cut of [3, 200, legacy.length - 1]) await expect(open(legacy.subarray(0, cut))).rejects.toThrow(/truncated/);
    await expect(open(new Uint8Array(100).fill(7))).rejects.toThrow(/neither a torch.save zip/);
  });

  it('refuses a storage shorter than its tensors, and absurd shapes, before allocating', async () => {
    const { stateDictPickle } = await import('./pickleWriter.js');
    const huge = stateDictPickle([{ name: 'w', shape: [1_000_000, 1_000_000] }]);
    await expect(open(await zipWith(huge, { 0: new Uint8Array(48) }))).rejects.toThrow(/storage 0 holds 48 bytes, but 1000000000000 F32 elements need 4000000000000/);
    const absurd = stateDictPickle([{ name: 'w', shape: [2 ** 20, 2 ** 20, 2 ** 20] }]);
    await expect(open(await zipWith(absurd, { 0: new Uint8Array(48) }))).rejects.toThrow(/a storage size is not a non-negative integer/); // 2^60 elements
    // a tensor that reaches past its storage's declared size
    const p = stateDictPickle([{ name: 'w', shape: [4, 4] }]);
    const at = p.indexOf(0x4b, p.indexOf(ascii('cpu')[2]!)); // BININT1 16 (numel) right after 'cpu'
    p[at + 1] = 8;
    await expect(open(await zipWith(p, { 0: new Uint8Array(32) }))).rejects.toThrow(/reaches element 15 of storage 0, which has 8/);
  });

  it('detects a corrupted storage by its CRC-32', async () => {
    const zip = read('pytorch_model.bin').slice();
    const sd = await open(zip);
    const first = [...sd.tensors.values()][0]!;
    const copy = zip.slice();
    // Flip one byte inside the first storage's data (found by its bytes).
    const storage = await sd.readStorage(first.storage);
    const at = Buffer.from(copy).indexOf(Buffer.from(storage.subarray(0, 16)));
    copy[at + 5] = copy[at + 5]! ^ 0xff;
    const broken = await open(copy);
    await expect(broken.readStorage(first.storage)).rejects.toThrow(/CRC-32 .* differs .*corrupted/);
  });

  it('refuses a state dict with keys a TokenFormer does not have, or without one it needs', async () => {
    const { stateDictPickle } = await import('./pickleWriter.js');
    const names = [...ORIGINAL.keys()];
    const build = async (list: string[]) => {
      const pickle = stateDictPickle(list.map((name) => ({ name, shape: ORIGINAL.get(name)?.shape ?? [32] })));
      const storages: Record<string, Uint8Array> = {};
      list.forEach((name, i) => (storages[i] = new Uint8Array((ORIGINAL.get(name)?.data.length ?? 32) * 4)));
      return zipWith(pickle, storages);
    };
    await expect(openOfficialCheckpoint(bytesSource(await build([...names, 'sequential.2.input_layernorm.weight'])), ARGS))
      .rejects.toThrow(/has sequential.2.input_layernorm.weight, which a TokenFormer does not use/);
    await expect(openOfficialCheckpoint(bytesSource(await build(names.filter((n) => !n.endsWith('5.norm.bias')))), ARGS))
      .rejects.toThrow(CheckpointError);
  });

  it('reads files with positional reads (openFileSource) exactly as from memory', async () => {
    const source = await openFileSource(join(DIR, 'pytorch_model_legacy.bin'));
    try {
      const sd = await readTorchStateDict(source);
      expect(sd.tensors.size).toBe(23);
    } finally {
      await source.close();
    }
  });
});
