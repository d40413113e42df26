// A checkpoint as one file (DESIGN.md): a .zip of a checkpoint directory, as the web page downloads
// it. Browser-safe. Zipping and inflating are fflate's (small, no dependencies, browser and Node);
// the directory walk, the size limits and the CRC-32 check are ours (fflate's unzip checks no CRC
// and trusts the declared sizes).
import CRC32 from 'crc-32';
import { inflateSync, zipSync, type Zippable } from 'fflate';
import { deserializeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import type { TokenFormer } from './model.js';

/** The files a checkpoint directory may hold (DESIGN.md's checkpoint contract); nothing else is read. */
export const CHECKPOINT_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'optimizer.safetensors', 'trainer_state.json'] as const;

/** The zip's local-file signature ("PK\x03\x04"); an empty zip starts with the end record's "PK\x05\x06". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/**
 * Zips checkpoint files (name -> text or bytes) at the top level of the archive. The weights are
 * stored (float32 hardly compresses, and storing keeps a multi-GB zip fast); JSON is deflated.
 */
export function zipCheckpoint(files: Record<string, string | Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    if (!(CHECKPOINT_FILES as readonly string[]).includes(name)) throw new CheckpointError(`zipCheckpoint: ${name} is not a checkpoint file (${CHECKPOINT_FILES.join(', ')})`);
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    entries[name] = [bytes, { level: name.endsWith('.safetensors') ? 0 : 6 }];
  }
  if (!('config.json' in entries) || !('model.safetensors' in entries)) throw new CheckpointError('zipCheckpoint: config.json and model.safetensors are required');
  return zipSync(entries);
}

/** The largest JSON file read from a checkpoint zip (GPT-NeoX-20B's tokenizer.json is 2 MB). */
export const MAX_ZIP_JSON_BYTES = 256 * 2 ** 20;
/** The largest file read from a checkpoint zip: it is read whole into memory. */
export const MAX_ZIP_FILE_BYTES = 2 ** 32 - 1;

interface Entry {
  path: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

/**
 * The central directory (names, methods, sizes, CRC-32s), each structure checked to lie inside the
 * file. ZIP64 (an entry or archive past 4 GiB) is refused: such a checkpoint does not fit in memory
 * whole, and its directory reads as a directory.
 */
function centralDirectory(bytes: Uint8Array, fail: (why: string) => never): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (truncated, or not a zip)');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) fail('it is a ZIP64 archive (over 4 GiB or 65,535 entries): unzip it and pass the directory');
  if (cdOffset + cdSize > eocd) fail(`its central directory [${cdOffset}, ${cdOffset + cdSize}) runs past the end record at ${eocd} (truncated?)`);
  const entries: Entry[] = [];
  for (let i = 0, p = cdOffset; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || view.getUint32(p, true) !== 0x02014b50) fail(`central directory entry ${i} is malformed at byte ${p}`);
    const nameLength = view.getUint16(p + 28, true);
    const next = p + 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    if (next > cdOffset + cdSize) fail(`central directory entry ${i} runs past the directory`);
    if (view.getUint16(p + 8, true) & 1) fail(`entry ${i} is encrypted`);
    entries.push({
      path: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: view.getUint16(p + 10, true),
      crc32: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localHeader: view.getUint32(p + 42, true),
    });
    p = next;
  }
  return entries;
}

/** An entry's bytes: stored or deflated (fflate's inflate into a buffer of the declared size), CRC-checked. */
function readEntry(bytes: Uint8Array, e: Entry, fail: (why: string) => never): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (e.localHeader + 30 > bytes.length || view.getUint32(e.localHeader, true) !== 0x04034b50) fail(`${e.path}: no local header at byte ${e.localHeader}`);
  const start = e.localHeader + 30 + view.getUint16(e.localHeader + 26, true) + view.getUint16(e.localHeader + 28, true);
  if (start + e.compressedSize > bytes.length) fail(`${e.path}: its ${e.compressedSize} bytes run past the end of the file (truncated?)`);
  const data = bytes.subarray(start, start + e.compressedSize);
  let out: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) fail(`${e.path}: stored, yet ${e.compressedSize} bytes for a ${e.size}-byte file`);
    out = data.slice();
  } else if (e.method === 8) {
    // deflate expands at most 1032:1: a larger declared size is a forged header, not a file
    if (e.size > e.compressedSize * 1032 + 1024) fail(`${e.path}: ${e.size} bytes declared for ${e.compressedSize} deflated bytes, past deflate's 1032:1 (a forged header)`);
    try {
      out = inflateSync(data, { out: new Uint8Array(e.size) });
    } catch (err) {
      return fail(`${e.path}: not valid deflate data (${(err as Error).message})`);
    }
    if (out.length !== e.size) fail(`${e.path}: inflates to ${out.length} bytes, the directory says ${e.size}`);
  } else return fail(`${e.path}: compression method ${e.method} (only stored and deflated entries are read)`);
  const crc = CRC32.buf(out) >>> 0;
  if (crc !== e.crc32) fail(`${e.path}: CRC-32 ${crc.toString(16)} differs from the directory's ${e.crc32.toString(16)} (corrupted)`);
  return out;
}

/**
 * The checkpoint files inside a zip (`name` names it in errors). The files may sit at the top level
 * or in one folder (a zipped directory); other files are not read, config.json and
 * model.safetensors are required, a path that escapes the archive is ignored, and every file read
 * is checked against its CRC-32 and its declared size (JSON at most MAX_ZIP_JSON_BYTES).
 */
export function unzipCheckpoint(bytes: Uint8Array, name = 'the zip'): Map<string, Uint8Array> {
  const fail = (why: string): never => {
    throw new CheckpointError(`${name}: ${why}`);
  };
  if (!isZip(bytes)) throw new CheckpointError(`${name} is not a zip archive (it does not start with PK\\3\\4)`);
  const files = new Map<string, Uint8Array>();
  const where = new Map<string, string>();
  for (const e of centralDirectory(bytes, fail)) {
    const parts = e.path.split('/');
    const file = parts.pop()!;
    if (!(CHECKPOINT_FILES as readonly string[]).includes(file) || parts.length > 1 || parts.includes('..') || e.path.startsWith('/')) continue; // not the checkpoint's
    if (files.has(file)) fail(`it holds ${file} twice (${where.get(file)} and ${e.path}): zip one checkpoint directory`);
    const limit = file.endsWith('.json') ? MAX_ZIP_JSON_BYTES : MAX_ZIP_FILE_BYTES;
    if (e.size > limit) fail(`${e.path} is ${e.size} bytes, over the ${limit} a zipped checkpoint may hold: unzip it and pass the directory`);
    files.set(file, readEntry(bytes, e, fail));
    where.set(file, e.path);
  }
  for (const need of ['config.json', 'model.safetensors']) {
    if (!files.has(need)) throw new CheckpointError(`${name} has no ${need} (at its top level or in one folder): it is not a zipped checkpoint directory`);
  }
  return files;
}

/** A model from a zipped checkpoint directory (the bytes of a .zip file). */
export function loadCheckpointFromZip(bytes: Uint8Array, name = 'the zip'): TokenFormer {
  const files = unzipCheckpoint(bytes, name);
  try {
    return deserializeCheckpoint(new TextDecoder().decode(files.get('config.json')), files.get('model.safetensors')!);
  } catch (e) {
    if (e instanceof Error && !e.message.includes(name)) e.message = `${name}: ${e.message}`;
    throw e;
  }
}
