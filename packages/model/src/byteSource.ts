// Random access to a file's bytes without holding the file: a checkpoint of several GB is read
// piece by piece (the zip directory, the pickle, one storage at a time).
import { ByteSourceError } from './errors.js';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset`; throws ByteSourceError past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Checks a read lies inside a source of `size` bytes. */
export function checkRange(size: number, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new ByteSourceError(`${what}: bytes [${offset}, ${offset + length}) run past the end of the ${size}-byte file (truncated?)`);
  }
}

/** A source over bytes already in memory (reads are views, not copies). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => {
      checkRange(bytes.byteLength, offset, length, 'read');
      return bytes.subarray(offset, offset + length);
    },
  };
}

/** A source over a Blob or File (browser file pickers): each read slices the blob. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => {
      checkRange(blob.size, offset, length, 'read');
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}
