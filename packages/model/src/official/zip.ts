// The zip container of `torch.save` (PyTorch ≥ 1.6): every entry STORED (uncompressed), ZIP64 for
// files over 4 GiB. Only the directory is read up front; an entry's bytes are read on demand.
// Everything is checked before it is trusted: signatures, STORED only, no encryption, entries
// inside the file, and each entry's CRC-32 when it is read whole.
import CRC32 from 'crc-32';
import type { ByteSource } from '../byteSource.js';
import { TorchFileError } from '../errors.js';

/** Checks a structure the zip names lies inside what holds it (TorchFileError: a truncated or forged file). */
function checkRange(size: number, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new TorchFileError(`${what}: bytes [${offset}, ${offset + length}) run past the end of the ${size}-byte file (truncated?)`);
  }
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
const MAX32 = 0xffffffff;

export interface ZipEntry {
  name: string;
  /** Uncompressed (= stored) size. */
  size: number;
  crc32: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** `length` bytes of an entry from `offset` within it (not CRC-checked). */
  readRange(entry: ZipEntry, offset: number, length: number): Promise<Uint8Array>;
  /** The whole entry, CRC-checked. */
  readEntry(entry: ZipEntry): Promise<Uint8Array>;
}

function fail(message: string): never {
  throw new TorchFileError(`zip: ${message}`);
}

function u64(view: DataView, at: number, what: string): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} ${value} is beyond 2^53`);
  return Number(value);
}

async function findEndOfCentralDirectory(source: ByteSource): Promise<{ view: DataView; at: number; base: number }> {
  if (source.size < 22) fail(`the file is ${source.size} bytes, too short for a zip (a truncated download?)`);
  const tail = Math.min(source.size, 22 + MAX_COMMENT + 20);
  const base = source.size - tail;
  const bytes = await source.read(base, tail);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = tail - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === EOCD) return { view, at, base };
  }
  return fail('no end-of-central-directory record: not a zip, or truncated');
}

/** Reads the central directory of a STORED zip. */
export async function openZip(source: ByteSource): Promise<ZipArchive> {
  const { view: tailView, at, base } = await findEndOfCentralDirectory(source);
  let count = tailView.getUint16(at + 10, true);
  let cdSize = tailView.getUint32(at + 12, true);
  let cdOffset = tailView.getUint32(at + 16, true);
  if (tailView.getUint16(at + 4, true) !== 0 || tailView.getUint16(at + 6, true) !== 0) fail('multi-disk archives are not supported');
  if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
    if (at < 20 || tailView.getUint32(at - 20, true) !== EOCD64_LOCATOR) fail('ZIP64 fields without a ZIP64 locator');
    const recordAt = u64(tailView, at - 20 + 8, 'ZIP64 record offset');
    checkRange(base + at - 20, recordAt, 56, 'ZIP64 end record');
    const record = await source.read(recordAt, 56);
    const view = new DataView(record.buffer, record.byteOffset, 56);
    if (view.getUint32(0, true) !== EOCD64) fail(`no ZIP64 end record at ${recordAt}`);
    count = u64(view, 32, 'entry count');
    cdSize = u64(view, 40, 'central directory size');
    cdOffset = u64(view, 48, 'central directory offset');
  }
  checkRange(source.size, cdOffset, cdSize, 'zip central directory');
  if (count > cdSize / 46) fail(`${count} entries cannot fit a ${cdSize}-byte central directory`);
  const cd = await source.read(cdOffset, cdSize);
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdSize || view.getUint32(p, true) !== CENTRAL) fail(`central directory entry ${i} is malformed at ${cdOffset + p}`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc32 = view.getUint32(p + 16, true);
    let compressed = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLength + extraLength + commentLength > cdSize) fail(`central directory entry ${i} runs past the directory`);
    let name: string;
    try {
      name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLength));
    } catch {
      return fail(`entry ${i}'s name is not UTF-8`);
    }
    // ZIP64 extended information: the 0xffffffff fields, in order size, compressed, offset.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const length = view.getUint16(e + 2, true);
      if (e + 4 + length > extraEnd) fail(`entry ${name}: extra field runs past its end`);
      if (id === 0x0001) {
        let q = e + 4;
        const next = (what: string) => {
          if (q + 8 > e + 4 + length) fail(`entry ${name}: ZIP64 field lacks ${what}`);
          const v = u64(view, q, what);
          q += 8;
          return v;
        };
        if (size === MAX32) size = next('size');
        if (compressed === MAX32) compressed = next('compressed size');
        if (localHeaderOffset === MAX32) localHeaderOffset = next('offset');
      }
      e += 4 + length;
    }
    if (flags & 1) fail(`entry ${name} is encrypted`);
    if (method !== 0) fail(`entry ${name} is compressed (method ${method}); torch.save stores entries uncompressed`);
    if (compressed !== size) fail(`entry ${name}: stored size ${compressed} differs from its size ${size}`);
    if (entries.has(name)) fail(`entry ${name} appears twice`);
    checkRange(cdOffset, localHeaderOffset, 30, `entry ${name}'s local header`);
    entries.set(name, { name, size, crc32, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }

  const dataStarts = new Map<string, number>();
  const dataStart = async (entry: ZipEntry): Promise<number> => {
    const known = dataStarts.get(entry.name);
    if (known !== undefined) return known;
    const header = await source.read(entry.localHeaderOffset, 30);
    const hv = new DataView(header.buffer, header.byteOffset, 30);
    if (hv.getUint32(0, true) !== LOCAL) fail(`entry ${entry.name}: no local header at ${entry.localHeaderOffset}`);
    const start = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
    checkRange(source.size, start, entry.size, `entry ${entry.name}'s data`);
    dataStarts.set(entry.name, start);
    return start;
  };
  return {
    entries,
    async readRange(entry, offset, length) {
      checkRange(entry.size, offset, length, `entry ${entry.name}`);
      return source.read((await dataStart(entry)) + offset, length);
    },
    async readEntry(entry) {
      const bytes = await source.read(await dataStart(entry), entry.size);
      const crc = CRC32.buf(bytes) >>> 0;
      if (crc !== entry.crc32) fail(`entry ${entry.name}: CRC-32 ${crc.toString(16)} differs from the directory's ${entry.crc32.toString(16)} (corrupted)`);
      return bytes;
    },
  };
}
