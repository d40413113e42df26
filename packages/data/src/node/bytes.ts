// File bytes, decompressed by extension (.gz with Node's zlib, .zst with fzstd), and split into
// lines, streaming: memory is bounded by the longest line, whatever the file size.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export async function* fileBytes(file: string): AsyncGenerator<Uint8Array> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (file.endsWith('.gz')) {
    for await (const chunk of raw.pipe(createGunzip())) yield chunk as Uint8Array;
    return;
  }
  if (file.endsWith('.zst')) {
    let out: Uint8Array[] = [];
    const zstd = new Decompress((chunk) => {
      out.push(chunk);
    });
    for await (const chunk of raw) {
      zstd.push(chunk as Uint8Array);
      if (out.length) {
        yield* out;
        out = [];
      }
    }
    zstd.push(new Uint8Array(0), true);
    yield* out;
    return;
  }
  for await (const chunk of raw) yield chunk as Uint8Array;
}

/** Lines as bytes, each with its "\n" (the last may lack one). */
export async function* byteLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let carry: Uint8Array | null = null;
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      if (carry) {
        yield concat(carry, piece);
        carry = null;
      } else yield piece;
      start = nl + 1;
    }
    if (start < chunk.length) carry = carry ? concat(carry, chunk.subarray(start)) : chunk.slice(start);
  }
  if (carry && carry.length > 0) yield carry;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
