// Hostile and broken official checkpoint files: pickles that would run code, opcodes a state dict
// never uses, truncated and corrupted zips, absurd shapes, and keys a TokenFormer does not have; each
// refused with a typed error before anything runs or is allocated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, readF32Safetensors } from '@tokenformer/testing';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bytesSource, CheckpointError } from '../index.js';
import { openFileSource } from '../node.js';
import { openOfficialCheckpoint, readTorchStateDict, TorchFileError, ZipWriter } from './index.js';
import { memorySink } from './memorySink.test-helper.js';

const DIR = fixturePath('official');
const ARGS = parse(readFileSync(join(DIR, 'config.yml'), 'utf8')) as Record<string, unknown>;
const ORIGINAL = readF32Safetensors(join(DIR, 'model.safetensors')); // official names, float32 (independent reader)
const read = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));

describe('hostile and broken files', () => {
  async function zipWith(pickle: Uint8Array, storages: Record<string, Uint8Array> = {}): Promise<Uint8Array> {
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
