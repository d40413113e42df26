// Zstandard frames (RFC 8878), checked: the stream is split into frames by their own structure
// (frame header, block headers, the optional 4-byte content checksum; skippable frames skipped),
// each frame is decompressed by fzstd, and its content's XXH64 (low 32 bits) must equal the frame's
// checksum. fzstd alone never reads the checksum, so a bit flip inside a compressed block could pass
// as different text.
import { Decompress } from 'fzstd';
import xxhash from 'xxhash-wasm';
import { CompressedInputError } from '../errors.js';

const ZSTD_MAGIC = 0xfd2fb528;
type Hasher = ReturnType<Awaited<ReturnType<typeof xxhash>>['create64']>;
let hasher: Promise<Awaited<ReturnType<typeof xxhash>>> | undefined;

type State = 'magic' | 'skipSize' | 'skip' | 'descriptor' | 'header' | 'blockHeader' | 'block' | 'checksum';

/** Decompressed chunks of `raw` (a .zst file's bytes), every frame's checksum checked. */
export async function* zstdChunks(raw: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  const { create64 } = await (hasher ??= xxhash());
  let state: State = 'magic';
  let field: number[] = []; // the bytes of a small field read so far
  let need = 4; // bytes still to read in this state
  let hasChecksum = false;
  let lastBlock = false;
  let offset = 0; // of the next byte in the file
  let frameStart = 0;
  let decoder: Decompress | null = null;
  let hash: Hasher | null = null;
  let out: Uint8Array[] = [];
  const startFrame = (): void => {
    hash = create64(0n);
    decoder = new Decompress((chunk) => {
      hash!.update(chunk);
      out.push(chunk);
    });
  };
  const fail = (message: string): never => {
    throw new CompressedInputError(file, `${message} (byte ${offset}, in the frame at byte ${frameStart})`);
  };
  const feed = (bytes: Uint8Array): void => {
    try {
      decoder?.push(bytes);
    } catch (e) {
      fail(`not valid zstd data: ${(e as Error).message}`);
    }
  };
  for await (const chunk of raw) {
    let i = 0;
    while (i < chunk.length) {
      if (state === 'skip' || state === 'block') {
        const n = Math.min(need, chunk.length - i);
        if (state === 'block') feed(chunk.subarray(i, i + n));
        i += n;
        offset += n;
        need -= n;
        if (need === 0) state = state === 'skip' ? 'magic' : lastBlock ? (hasChecksum ? 'checksum' : endFrame()) : 'blockHeader';
        if (state === 'magic') need = 4;
        else if (state === 'checksum' || state === 'blockHeader') need = state === 'checksum' ? 4 : 3;
        continue;
      }
      const byte = chunk[i++]!;
      offset++;
      field.push(byte);
      if (state !== 'magic' && state !== 'skipSize') feed(chunk.subarray(i - 1, i));
      if (--need > 0) continue;
      const value = field.reduce((v, b, k) => v + b * 2 ** (8 * k), 0); // little-endian
      const bytes = field;
      field = [];
      if (state === 'magic') {
        frameStart = offset - 4;
        if (value >>> 4 === 0x184d2a5) [state, need] = ['skipSize', 4];
        else if (value === ZSTD_MAGIC) {
          startFrame();
          feed(Uint8Array.from(bytes));
          [state, need] = ['descriptor', 1];
        } else fail(`not a zstd frame (magic 0x${value.toString(16)})`);
      } else if (state === 'skipSize') [state, need] = value > 0 ? ['skip', value] : ['magic', 4];
      else if (state === 'descriptor') {
        if (value & 0x08) fail('reserved bit set in the frame header');
        hasChecksum = (value & 0x04) !== 0;
        const singleSegment = (value & 0x20) !== 0;
        const fcs = [singleSegment ? 1 : 0, 2, 4, 8][value >> 6]!;
        const rest = (singleSegment ? 0 : 1) + [0, 1, 2, 4][value & 3]! + fcs;
        [state, need] = rest > 0 ? ['header', rest] : ['blockHeader', 3];
      } else if (state === 'header') [state, need] = ['blockHeader', 3];
      else if (state === 'blockHeader') {
        lastBlock = (value & 1) === 1;
        const type = (value >> 1) & 3;
        if (type === 3) fail('reserved block type');
        const size = type === 1 ? 1 : value >>> 3;
        if (size > 0) [state, need] = ['block', size];
        else if (!lastBlock) [state, need] = ['blockHeader', 3];
        else if (hasChecksum) [state, need] = ['checksum', 4];
        else [state, need] = [endFrame(), 4];
      } else if (state === 'checksum') {
        endFrame();
        const got = Number(hash!.digest() & 0xffffffffn);
        if (got !== value) fail(`frame checksum mismatch (data corruption): stored 0x${value.toString(16)}, content hashes to 0x${got.toString(16)}`);
        [state, need] = ['magic', 4];
      }
    }
    if (out.length) {
      yield* out;
      out = [];
    }
  }
  if (offset === 0) fail('empty: a .zst file holds at least one frame');
  if (state !== 'magic' || field.length > 0) fail('truncated: the file ends inside a frame');

  function endFrame(): State {
    try {
      decoder?.push(new Uint8Array(0), true);
    } catch (e) {
      fail(`not valid zstd data: ${(e as Error).message}`);
    }
    decoder = null;
    return 'magic';
  }
}
