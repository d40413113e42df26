// safetensors read/write (8-byte little-endian header length, JSON header, one data buffer),
// validated before anything is trusted: header length bound, JSON object, known dtypes, integer
// shapes, offsets inside the data, sizes matching shapes, no overlaps and no holes.
import { SafetensorsError } from './errors.js';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** Headers above this are refused before parsing (the reference implementation's limit is 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** The raw little-endian bytes of the tensor (a view into the file). */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

function fail(message: string): never {
  throw new SafetensorsError(message);
}

/** The header's length from a file's first 8 bytes, checked against the limit and the file size. */
export function safetensorsHeaderLength(first8: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || first8.byteLength < 8) fail(`file is ${fileSize} bytes, shorter than the 8-byte header length`);
  const length = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) fail(`header length ${length} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(length);
  if (8 + n > fileSize) fail(`header length ${n} runs past the end of the ${fileSize}-byte file`);
  return n;
}

function parseHeader(prefix: Uint8Array, n: number): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  return header as Record<string, unknown>;
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('__metadata__ is not an object');
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
  }
  return value as Record<string, string>;
}

export interface SafetensorsIndexEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte offsets in the file (not the data section): [begin, end). */
  begin: number;
  end: number;
}

export interface SafetensorsIndex {
  tensors: Map<string, SafetensorsIndexEntry>;
  metadata: Record<string, string>;
}

/**
 * Parses and validates a safetensors header without its data: `prefix` holds at least the file's
 * first 8 + header-length bytes, `fileSize` is the whole file's size.
 */
export function indexSafetensors(prefix: Uint8Array, fileSize: number): SafetensorsIndex {
  const n = safetensorsHeaderLength(prefix, fileSize);
  if (prefix.byteLength < 8 + n) fail(`the first ${prefix.byteLength} bytes do not hold the ${n}-byte header`);
  const header = parseHeader(prefix, n);
  const dataStart = 8 + n;
  const dataLength = fileSize - dataStart;
  const metadata = parseMetadata(header.__metadata__);
  const tensors = new Map<string, SafetensorsIndexEntry>();
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof info !== 'object' || info === null) fail(`tensor ${name}: entry is not an object`);
    const dtype = info.dtype as SafetensorsDtype;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) fail(`tensor ${name}: unknown dtype ${JSON.stringify(info.dtype)}`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
      fail(`tensor ${name}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
      fail(`tensor ${name}: data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) fail(`tensor ${name}: data_offsets [${begin}, ${end}] fall outside the ${dataLength}-byte data`);
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = elements * DTYPE_BYTES[dtype];
    if (end - begin !== expected) fail(`tensor ${name}: ${end - begin} bytes for ${dtype} [${shape}], which needs ${expected}`);
    spans.push([begin, end, name]);
    tensors.set(name, { dtype, shape: shape as number[], begin: dataStart + begin, end: dataStart + end });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cursor = 0;
  for (const [begin, end, name] of spans) {
    if (begin < cursor) fail(`tensor ${name}: data_offsets [${begin}, ${end}] overlap the previous tensor (ends at ${cursor})`);
    if (begin > cursor) fail(`tensor ${name}: a hole of ${begin - cursor} bytes precedes it at ${cursor}`);
    cursor = end;
  }
  if (cursor !== dataLength) fail(`${dataLength - cursor} bytes after the last tensor are not indexed by the header`);
  return { tensors, metadata };
}

/** Parses and validates a safetensors file held in memory; tensors are views into `bytes`. */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  const index = indexSafetensors(bytes, bytes.byteLength);
  const tensors = new Map<string, SafetensorsEntry>();
  for (const [name, { dtype, shape, begin, end }] of index.tensors) {
    tensors.set(name, { dtype, shape, bytes: bytes.subarray(begin, end) });
  }
  return { tensors, metadata: index.metadata };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** A float tensor's values as float32 (F32 copied; F64, F16, BF16 converted). */
/**
 * `values`, once checked finite: a NaN or infinity in a weight (or an optimizer moment) would turn
 * every output into NaN, and generation into silence. Throws SafetensorsError naming the tensor and
 * the first bad index.
 */
export function checkFinite(values: Float32Array, name: string): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw new SafetensorsError(`${name}: value ${v} at flat index ${i}; every value must be finite`);
  }
  return values;
}

export function toFloat32(entry: SafetensorsEntry, name = 'tensor'): Float32Array {
  const { bytes, dtype } = entry;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / DTYPE_BYTES[dtype]);
  switch (dtype) {
    case 'F32':
      if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, out.length).slice();
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case 'F64':
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    case 'F16':
      for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    case 'BF16': {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    default:
      throw new SafetensorsError(`${name} has dtype ${dtype}, not a float type`);
  }
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  /** float32 values (written as F32) or int32 values (written as I32). */
  data: Float32Array | Int32Array;
}

export interface TensorLayout {
  name: string;
  shape: number[];
  dtype: 'F32' | 'I32';
}

export interface SafetensorsLayout {
  /** The 8-byte length and the JSON header, padded with spaces to 8 bytes. */
  header: Uint8Array;
  /** Each tensor's byte offset in the file, by name. */
  offsets: Map<string, number>;
  /** The whole file's size. */
  size: number;
}

/** The header and offsets of a file holding these tensors (sorted by name, contiguous), so data can be written in any order. */
export function safetensorsLayout(tensors: TensorLayout[], metadata: Record<string, string> = {}): SafetensorsLayout {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const json: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) json.__metadata__ = metadata;
  const relative = new Map<string, number>();
  let offset = 0;
  for (const t of sorted) {
    if (json[t.name] !== undefined) throw new SafetensorsError(`tensor name ${t.name} appears twice`);
    const bytes = t.shape.reduce((a, b) => a * b, 1) * 4;
    json[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    relative.set(t.name, offset);
    offset += bytes;
  }
  const encoder = new TextEncoder();
  let text = JSON.stringify(json);
  const unpadded = encoder.encode(text).byteLength;
  text += ' '.repeat(Math.ceil(unpadded / 8) * 8 - unpadded);
  const body = encoder.encode(text);
  const header = new Uint8Array(8 + body.byteLength);
  new DataView(header.buffer).setBigUint64(0, BigInt(body.byteLength), true);
  header.set(body, 8);
  const offsets = new Map([...relative].map(([name, o]) => [name, header.byteLength + o]));
  return { header, offsets, size: header.byteLength + offset };
}

/** Serialises tensors (sorted by name, contiguous, header padded with spaces to 8 bytes). */
export function serializeSafetensors(tensors: TensorToWrite[], metadata: Record<string, string> = {}): Uint8Array {
  for (const t of tensors) {
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (elements !== t.data.length) throw new SafetensorsError(`tensor ${t.name}: ${t.data.length} values for shape [${t.shape}]`);
  }
  const layout = safetensorsLayout(
    tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.data instanceof Float32Array ? 'F32' : 'I32' })),
    metadata,
  );
  const out = new Uint8Array(layout.size);
  out.set(layout.header, 0);
  for (const t of tensors) {
    // Typed arrays are little-endian on every platform tfjs runs on, as safetensors requires.
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), layout.offsets.get(t.name)!);
  }
  return out;
}
