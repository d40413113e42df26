// Writes an indexed dataset: `<prefix>.bin` then `<prefix>.idx`, both through temporary files
// renamed into place, the .idx last, so a crash never leaves a complete-looking pair.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataInputError } from '../errors.js';
import { encodeIndex, itemSize, type TokenDtype } from '../format.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class IndexedDatasetWriter {
  private readonly fd: number;
  private readonly sizes: number[] = [];
  private readonly docIdx: number[] = [0];
  private buffer: Uint8Array;
  private view: DataView;
  private used = 0;
  private done = false;
  private readonly maxId: number;
  readonly tmpBin: string;

  constructor(
    readonly prefix: string,
    readonly dtype: TokenDtype,
  ) {
    mkdirSync(dirname(prefix), { recursive: true }); // `--output data/sotu` with no data/ yet
    this.tmpBin = `${prefix}.bin.${process.pid}.tmp`;
    this.fd = openSync(this.tmpBin, 'w');
    this.buffer = new Uint8Array(1 << 20);
    this.view = new DataView(this.buffer.buffer);
    this.maxId = dtype === 'uint16' ? 0xffff : 0x7fffffff;
  }

  /** Append one item (a sequence of token ids). */
  addItem(ids: ArrayLike<number>): void {
    const width = itemSize(this.dtype);
    const bytes = ids.length * width;
    if (this.used + bytes > this.buffer.length) this.flush();
    if (bytes > this.buffer.length) {
      this.buffer = new Uint8Array(bytes);
      this.view = new DataView(this.buffer.buffer);
    }
    // typed-array stores (little-endian hosts: all Node platforms) after a range check per id
    const at = this.used;
    if (LITTLE_ENDIAN && at % width === 0) {
      const dst = width === 2 ? new Uint16Array(this.buffer.buffer, at, ids.length) : new Int32Array(this.buffer.buffer, at, ids.length);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (!(id >= 0 && id <= this.maxId && Number.isInteger(id))) this.badId(id);
        dst[i] = id;
      }
    } else {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (!(id >= 0 && id <= this.maxId && Number.isInteger(id))) this.badId(id);
        if (width === 2) this.view.setUint16(at + 2 * i, id, true);
        else this.view.setInt32(at + 4 * i, id, true);
      }
    }
    this.used += bytes;
    this.sizes.push(ids.length);
  }

  private badId(id: number): never {
    throw new DataInputError(`IndexedDatasetWriter: token id ${id} does not fit ${this.dtype} (0..${this.maxId})`);
  }

  /** Close the current document (GPT-NeoX's `end_document`). */
  endDocument(): void {
    this.docIdx.push(this.sizes.length);
  }

  /** Add one document of one item and close it. */
  addDocument(ids: ArrayLike<number>): void {
    this.addItem(ids);
    this.endDocument();
  }

  get numItems(): number {
    return this.sizes.length;
  }

  private flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buffer, off, this.used - off);
    this.used = 0;
  }

  /** Write the .idx and move both files into place. */
  finalize(): { items: number; documents: number; tokens: number } {
    if (this.done) throw new DataInputError('IndexedDatasetWriter: finalize() was already called');
    this.done = true;
    this.flush();
    closeSync(this.fd);
    const idx = encodeIndex(this.dtype, this.sizes, this.docIdx);
    const tmpIdx = `${this.prefix}.idx.${process.pid}.tmp`;
    const fd = openSync(tmpIdx, 'w');
    let off = 0;
    while (off < idx.length) off += writeSync(fd, idx, off, idx.length - off);
    closeSync(fd);
    if (existsSync(`${this.prefix}.idx`)) unlinkSync(`${this.prefix}.idx`); // never a new .bin beside an old .idx
    renameSync(this.tmpBin, `${this.prefix}.bin`);
    renameSync(tmpIdx, `${this.prefix}.idx`);
    return { items: this.sizes.length, documents: this.docIdx.length - 1, tokens: this.sizes.reduce((a, b) => a + b, 0) };
  }

  /** Give up: remove the temporary file. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    if (existsSync(this.tmpBin)) unlinkSync(this.tmpBin);
  }
}
