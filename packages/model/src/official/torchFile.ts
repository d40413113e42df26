// Reads a state dict from a PyTorch checkpoint file without Python: the zip format of
// `torch.save` (≥ 1.6), the legacy format (`_use_new_zipfile_serialization=False`), or a
// safetensors file. Only the index is read up front; storages are read one at a time on demand.
import { TorchFileError } from '../errors.js';
import { indexSafetensors, safetensorsHeaderLength, toFloat32 } from '../safetensors.js';
import type { ByteSource } from '../byteSource.js';
import { unpicklePlain, unpickleStateDict, DTYPE_BYTES, StorageRef, TensorRef, type TorchFloatDtype } from './torchPickle.js';
import { openZip, type ZipEntry } from './zip.js';

export type TorchFileFormat = 'zip' | 'legacy' | 'safetensors';

export interface TorchStateDict {
  format: TorchFileFormat;
  /** Tensors by state-dict key, in file order. */
  tensors: Map<string, TensorRef>;
  /** One storage's bytes (CRC-checked in a zip); a storage may back several tensors. */
  readStorage(storage: StorageRef): Promise<Uint8Array>;
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
const MAX_ZIP_VERSION = 3;

function fail(message: string): never {
  throw new TorchFileError(message);
}

async function readZip(source: ByteSource): Promise<TorchStateDict> {
  const zip = await openZip(source);
  const pickles = [...zip.entries.keys()].filter((name) => name === 'data.pkl' || name.endsWith('/data.pkl'));
  if (pickles.length !== 1) fail(`a torch.save zip holds one <archive>/data.pkl; this one holds ${pickles.length}`);
  const prefix = pickles[0]!.slice(0, -'data.pkl'.length);
  const version = zip.entries.get(`${prefix}version`) ?? zip.entries.get(`${prefix}.data/version`);
  if (version) {
    const text = new TextDecoder().decode(await zip.readEntry(version)).trim();
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > MAX_ZIP_VERSION) fail(`torch zip format version ${JSON.stringify(text)} is not one this reader knows (1–${MAX_ZIP_VERSION})`);
  }
  const byteorder = zip.entries.get(`${prefix}byteorder`);
  if (byteorder && new TextDecoder().decode(await zip.readEntry(byteorder)).trim() !== 'little') fail('big-endian checkpoints are not supported');
  const { tensors } = unpickleStateDict(await zip.readEntry(zip.entries.get(pickles[0]!)!));
  const entries = new Map<string, ZipEntry>();
  for (const { storage } of tensors.values()) {
    const entry = zip.entries.get(`${prefix}data/${storage.key}`);
    if (!entry) fail(`storage ${storage.key} has no entry ${prefix}data/${storage.key} in the zip`);
    if (entry.size !== storage.byteLength) {
      fail(`storage ${storage.key} holds ${entry.size} bytes, but ${storage.numel} ${storage.dtype} elements need ${storage.byteLength}`);
    }
    entries.set(storage.key, entry);
  }
  return { format: 'zip', tensors, readStorage: (storage) => zip.readEntry(entries.get(storage.key)!) };
}

/** Reads the legacy format: five pickles (magic, protocol, sys info, the state dict, storage keys), then each storage as u64 count + data. */
async function readLegacy(source: ByteSource): Promise<TorchStateDict> {
  let length = Math.min(source.size, 1 << 20);
  for (;;) {
    const head = await source.read(0, length);
    try {
      let at = 0;
      const magic = unpicklePlain(head, at);
      if (magic.value !== LEGACY_MAGIC) fail('not a PyTorch file: the legacy magic number is missing');
      const protocol = unpicklePlain(head, magic.end);
      if (protocol.value !== LEGACY_PROTOCOL) fail(`legacy protocol ${String(protocol.value)} is not ${LEGACY_PROTOCOL}`);
      const sysInfo = unpicklePlain(head, protocol.end);
      const main = unpickleStateDict(head, sysInfo.end);
      const keys = unpicklePlain(head, main.end);
      at = keys.end;
      if (!Array.isArray(keys.value) || keys.value.some((k) => typeof k !== 'string')) fail('the legacy storage key list is malformed');
      const storages = new Map<string, StorageRef>();
      for (const t of main.tensors.values()) storages.set(t.storage.key, t.storage);
      const offsets = new Map<string, number>();
      for (const key of keys.value as string[]) {
        const header = await source.read(at, 8).catch(() => fail(`legacy storage ${key}'s size runs past the end of the file (truncated)`));
        const numel = Number(new DataView(header.buffer, header.byteOffset, 8).getBigUint64(0, true));
        const storage = storages.get(key);
        if (storage && numel !== storage.numel) fail(`legacy storage ${key} holds ${numel} elements, its tensors were declared on ${storage.numel}`);
        const bytes = numel * DTYPE_BYTES[storage?.dtype ?? 'F32'];
        if (at + 8 + bytes > source.size) fail(`legacy storage ${key} runs past the end of the ${source.size}-byte file (truncated)`);
        offsets.set(key, at + 8);
        at += 8 + bytes;
      }
      for (const key of storages.keys()) if (!offsets.has(key)) fail(`storage ${key} is missing from the legacy storage list`);
      return {
        format: 'legacy',
        tensors: main.tensors,
        readStorage: (storage) => source.read(offsets.get(storage.key)!, storage.byteLength),
      };
    } catch (e) {
      if (e instanceof TorchFileError && /truncated/.test(e.message) && /^pickle/.test(e.message) && length < source.size) {
        length = Math.min(source.size, length * 8);
        continue;
      }
      throw e;
    }
  }
}

async function readSafetensorsFile(source: ByteSource): Promise<TorchStateDict> {
  const n = safetensorsHeaderLength(await source.read(0, 8), source.size);
  const index = indexSafetensors(await source.read(0, 8 + n), source.size);
  const tensors = new Map<string, TensorRef>();
  const begins = new Map<string, number>();
  for (const [name, entry] of index.tensors) {
    if (!(entry.dtype in DTYPE_BYTES)) fail(`safetensors tensor ${name} has dtype ${entry.dtype}, not a float type`);
    const numel = entry.shape.reduce((a, b) => a * b, 1);
    const storage = new StorageRef(name, entry.dtype as TorchFloatDtype, numel);
    const stride = entry.shape.map((_, i) => entry.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    tensors.set(name, new TensorRef(storage, 0, entry.shape, stride));
    begins.set(name, entry.begin);
  }
  return { format: 'safetensors', tensors, readStorage: (s) => source.read(begins.get(s.key)!, s.byteLength) };
}

/** Opens a state dict in any of the three formats, told apart by their first bytes. */
export async function readTorchStateDict(source: ByteSource): Promise<TorchStateDict> {
  if (source.size < 8) fail(`the file is ${source.size} bytes: not a checkpoint (truncated?)`);
  const first = await source.read(0, 9 <= source.size ? 9 : 8);
  if (first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04) return readZip(source);
  if (first[0] === 0x80 && first[1]! >= 2 && first[1]! <= 5) return readLegacy(source);
  if (first[8] === 0x7b) return readSafetensorsFile(source);
  return fail('the file is neither a torch.save zip, a legacy torch.save pickle, nor safetensors');
}

function isContiguous(t: TensorRef): boolean {
  let expected = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    if (t.shape[i]! !== 1 && t.stride[i]! !== expected) return false;
    expected *= t.shape[i]!;
  }
  return true;
}

/** A tensor's values as float32 (in row-major order) from its storage's bytes. */
export function tensorToFloat32(t: TensorRef, storageBytes: Uint8Array): Float32Array {
  const size = DTYPE_BYTES[t.storage.dtype];
  if (isContiguous(t)) {
    const bytes = storageBytes.subarray(t.storageOffset * size, (t.storageOffset + t.numel) * size);
    return toFloat32({ dtype: t.storage.dtype, shape: t.shape, bytes });
  }
  const all = toFloat32({ dtype: t.storage.dtype, shape: [t.storage.numel], bytes: storageBytes });
  const out = new Float32Array(t.numel);
  const index = new Array<number>(t.shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let at = t.storageOffset;
    for (let d = 0; d < index.length; d++) at += index[d]! * t.stride[d]!;
    out[i] = all[at]!;
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d]! < t.shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}
