// Reads an indexed dataset without loading the .bin: the .idx is read and checked whole, tokens
// are read with positional reads when asked for.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { DataInputError, DatasetFormatError } from '../errors.js';
import { type DatasetIndex, decodeIndex, itemSize, type TokenDtype } from '../format.js';
import type { TokenDocuments } from '../sampler.js';

export class IndexedDataset implements TokenDocuments {
  private fd: number;
  private scratch = new Uint8Array(1 << 16);

  private constructor(
    readonly prefix: string,
    readonly index: DatasetIndex,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Open `<prefix>.idx` + `<prefix>.bin`; a missing, truncated or inconsistent pair throws DatasetFormatError. */
  static open(prefix: string): IndexedDataset {
    for (const ext of ['.idx', '.bin']) {
      if (!existsSync(prefix + ext)) throw new DatasetFormatError(prefix + ext, 'file', 'does not exist');
    }
    const fd = openSync(`${prefix}.bin`, 'r');
    try {
      const index = decodeIndex(readFileSync(`${prefix}.idx`), `${prefix}.idx`, fstatSync(fd).size);
      return new IndexedDataset(prefix, index, fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get dtype(): TokenDtype {
    return this.index.dtype;
  }

  get numDocuments(): number {
    return this.index.sizes.length;
  }

  /** Documents in GPT-NeoX's doc_idx sense (groups of items). */
  get numDocumentGroups(): number {
    return this.index.docIdx.length - 1;
  }

  get numTokens(): number {
    let n = 0;
    for (const s of this.index.sizes) n += s;
    return n;
  }

  documentSize(doc: number): number {
    return this.index.sizes[doc]!;
  }

  read(doc: number, offset: number, length: number, out: Int32Array, at: number): void {
    const size = this.index.sizes[doc];
    if (size === undefined) throw new DataInputError(`IndexedDataset: item ${doc} is out of range [0, ${this.numDocuments})`);
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new DataInputError(`IndexedDataset: tokens [${offset}, ${offset + length}) are outside item ${doc} of ${size} tokens`);
    }
    const width = itemSize(this.index.dtype);
    const bytes = length * width;
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(bytes);
    const pos = this.index.pointers[doc]! + offset * width;
    let got = 0;
    while (got < bytes) {
      const n = readSync(this.fd, this.scratch, got, bytes - got, pos + got);
      if (n === 0) throw new DatasetFormatError(`${this.prefix}.bin`, 'data', `ended at byte ${pos + got}, item ${doc} needs ${pos + bytes}`);
      got += n;
    }
    const view = new DataView(this.scratch.buffer, 0, bytes);
    if (width === 2) for (let i = 0; i < length; i++) out[at + i] = view.getUint16(2 * i, true);
    else for (let i = 0; i < length; i++) out[at + i] = view.getInt32(4 * i, true);
  }

  /** One item's tokens. */
  get(doc: number): Int32Array {
    const out = new Int32Array(this.documentSize(doc));
    this.read(doc, 0, out.length, out, 0);
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
