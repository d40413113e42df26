// File bytes, decompressed by extension (.gz with Node's zlib, .zst with fzstd), and split into
// lines, streaming: memory is bounded by the longest line, whatever the file size.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CompressedInputError } from '../errors.js';
import { zstdChunks } from './zstdFrames.js';

/**
 * A compressed file may not decompress to more than MAX_RATIO times the bytes read so far, once past
 * RATIO_FROM bytes: text compresses 3-10x (the Pile's .zst shards about 4x), a bomb 1000x.
 */
export const MAX_RATIO = 200;
const RATIO_FROM = 32 << 20;

export async function* fileBytes(file: string): AsyncGenerator<Uint8Array> {
  const counter = { read: 0, written: 0 };
  const raw = counted(createReadStream(file, { highWaterMark: 1 << 20 }), counter);
  let chunks: AsyncIterable<Uint8Array>;
  if (file.endsWith('.gz')) chunks = gunzipped(raw, file);
  else if (file.endsWith('.zst')) chunks = zstdChunks(raw, file);
  else {
    yield* raw;
    return;
  }
  for await (const chunk of chunks) {
    counter.written += chunk.length;
    if (counter.written > RATIO_FROM && counter.written > MAX_RATIO * counter.read) {
      throw new CompressedInputError(file, `decompresses to more than ${MAX_RATIO} times its size (${counter.written} bytes from ${counter.read}): refused as a decompression bomb`);
    }
    yield chunk;
  }
}

async function* counted(raw: AsyncIterable<unknown>, counter: { read: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of raw) {
    counter.read += (chunk as Uint8Array).length;
    yield chunk as Uint8Array;
  }
}

async function* gunzipped(raw: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of Readable.from(raw).pipe(createGunzip())) yield chunk as Uint8Array;
  } catch (e) {
    throw new CompressedInputError(file, `not valid gzip data: ${(e as Error).message}`);
  }
}

/** Lines as bytes, each with its "\n" (the last may lack one). A long line's pieces are joined once (linear). */
export async function* byteLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let carry: Uint8Array[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      if (carry.length > 0) {
        carry.push(piece);
        yield join(carry);
        carry = [];
      } else yield piece;
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.slice(start));
  }
  if (carry.length > 0) yield join(carry);
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
