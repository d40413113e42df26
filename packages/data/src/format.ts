// The Megatron / GPT-NeoX indexed dataset ("MMIDIDX"), as `megatron/data/indexed_dataset.py`
// writes it. The `.bin` file is the token ids of every item, back to back, in one dtype; the
// `.idx` file is, little-endian:
//   magic "MMIDIDX\0\0" (9 bytes) | version u64 = 1 | dtype code u8
//   | item count u64 | doc_idx length u64
//   | sizes: int32 per item (tokens) | pointers: int64 per item (byte offset in .bin)
//   | doc_idx: int64 per document boundary (item index; starts at 0, ends at the item count)
import { DatasetFormatError } from './errors.js';

export const MAGIC = Uint8Array.from([0x4d, 0x4d, 0x49, 0x44, 0x49, 0x44, 0x58, 0x00, 0x00]);
export const HEADER_BYTES = 9 + 8 + 1 + 8 + 8;

/** The dtypes this package reads and writes (token ids), with their format codes. */
export type TokenDtype = 'uint16' | 'int32';
export const DTYPE_CODES: Record<TokenDtype, number> = { uint16: 8, int32: 4 };
/** Every code the format defines, for error messages. */
const ALL_CODES: Record<number, string> = { 1: 'uint8', 2: 'int8', 3: 'int16', 4: 'int32', 5: 'int64', 6: 'float32', 7: 'float64', 8: 'uint16' };

export function itemSize(dtype: TokenDtype): number {
  return dtype === 'uint16' ? 2 : 4;
}

/** GPT-NeoX's `__best_fitting_dtype`: uint16 when the vocabulary has fewer than 65,500 ids. */
export function bestFittingDtype(vocabSize: number): TokenDtype {
  return vocabSize < 65500 ? 'uint16' : 'int32';
}

export interface DatasetIndex {
  dtype: TokenDtype;
  /** Tokens per item. */
  sizes: Int32Array;
  /** Byte offset of each item in the .bin file. */
  pointers: Float64Array;
  /** Item index where each document starts, then the item count. */
  docIdx: Float64Array;
}

/** The .idx bytes for items of `sizes` and document boundaries `docIdx`. */
export function encodeIndex(dtype: TokenDtype, sizes: ArrayLike<number>, docIdx: ArrayLike<number>): Uint8Array {
  const n = sizes.length;
  const bytes = new Uint8Array(HEADER_BYTES + 4 * n + 8 * n + 8 * docIdx.length);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setBigUint64(9, 1n, true);
  view.setUint8(17, DTYPE_CODES[dtype]);
  view.setBigUint64(18, BigInt(n), true);
  view.setBigUint64(26, BigInt(docIdx.length), true);
  let at = HEADER_BYTES;
  for (let i = 0; i < n; i++, at += 4) view.setInt32(at, sizes[i]!, true);
  let pointer = 0;
  for (let i = 0; i < n; i++, at += 8) {
    view.setBigInt64(at, BigInt(pointer), true);
    pointer += sizes[i]! * itemSize(dtype);
  }
  for (let i = 0; i < docIdx.length; i++, at += 8) view.setBigInt64(at, BigInt(docIdx[i]!), true);
  return bytes;
}

/**
 * Parse and check .idx bytes: magic, version, dtype, lengths against the file size, pointers
 * against the sizes, document boundaries in order. `binBytes`, when given, must be the data size.
 */
export function decodeIndex(bytes: Uint8Array, file: string, binBytes?: number): DatasetIndex {
  const fail = (field: string, message: string): never => {
    throw new DatasetFormatError(file, field, message);
  };
  if (bytes.length < HEADER_BYTES) fail('header', `${bytes.length} bytes, the header alone is ${HEADER_BYTES}`);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) fail('magic', 'not an MMIDIDX index (wrong magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getBigUint64(9, true);
  if (version !== 1n) fail('version', `${version}, only version 1 exists`);
  const code = view.getUint8(17);
  const dtype = (Object.keys(DTYPE_CODES) as TokenDtype[]).find((d) => DTYPE_CODES[d] === code);
  if (dtype === undefined) fail('dtype', `code ${code} (${ALL_CODES[code] ?? 'undefined by the format'}): token ids are uint16 (8) or int32 (4)`);
  const n = view.getBigUint64(18, true);
  const m = view.getBigUint64(26, true);
  const expected = BigInt(HEADER_BYTES) + 12n * n + 8n * m;
  if (expected !== BigInt(bytes.length)) fail('length', `${n} items and ${m} document boundaries need ${expected} bytes, the file has ${bytes.length}`);
  const count = Number(n);
  const sizes = new Int32Array(count);
  const pointers = new Float64Array(count);
  const docIdx = new Float64Array(Number(m));
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++, at += 4) {
    sizes[i] = view.getInt32(at, true);
    if (sizes[i]! < 0) fail(`sizes[${i}]`, `${sizes[i]} tokens`);
  }
  let expectedPointer = 0;
  const width = itemSize(dtype!);
  for (let i = 0; i < count; i++, at += 8) {
    pointers[i] = Number(view.getBigInt64(at, true));
    if (pointers[i] !== expectedPointer) fail(`pointers[${i}]`, `${pointers[i]}, the sizes before it put it at ${expectedPointer}`);
    expectedPointer += sizes[i]! * width;
  }
  for (let i = 0; i < docIdx.length; i++, at += 8) {
    docIdx[i] = Number(view.getBigInt64(at, true));
    const prev = i === 0 ? 0 : docIdx[i - 1]!;
    if (docIdx[i]! < prev || docIdx[i]! > count) fail(`doc_idx[${i}]`, `${docIdx[i]}: boundaries must rise from 0 to the item count ${count}`);
  }
  if (docIdx.length === 0 || docIdx[0] !== 0 || docIdx[docIdx.length - 1] !== count) {
    fail('doc_idx', `must start at 0 and end at the item count ${count}`);
  }
  if (binBytes !== undefined && binBytes !== expectedPointer) {
    fail('.bin size', `${binBytes} bytes, the index describes ${expectedPointer} (${expectedPointer / width} tokens of ${dtype})`);
  }
  return { dtype: dtype!, sizes, pointers, docIdx };
}
