// Writes a STORED zip the way `torch.save` does: entries uncompressed, each entry's data aligned
// to 64 bytes (padding in the local header's extra field), ZIP64 records only where a size,
// offset or count needs them. Entries go to a sink one at a time, so nothing holds the whole file.
import CRC32 from 'crc-32';
import { TorchFileError } from '../errors.js';

export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

export interface ZipWriterOptions {
  /** Data alignment in bytes (torch: 64). */
  alignment?: number;
  /** Sizes and offsets at or above this use ZIP64 fields (the format's limit, 0xffffffff; lower only for tests). */
  zip64Threshold?: number;
}

interface Written {
  name: Uint8Array;
  size: number;
  crc32: number;
  offset: number;
}

const MAX32 = 0xffffffff;
const PADDING_FIELD = 0x4246; // 'FB', the id PyTorch's writer uses for alignment padding

export class ZipWriter {
  private offset = 0;
  private readonly written: Written[] = [];
  private readonly alignment: number;
  private readonly threshold: number;

  constructor(private readonly sink: ByteSink, options: ZipWriterOptions = {}) {
    this.alignment = options.alignment ?? 64;
    this.threshold = Math.min(options.zip64Threshold ?? MAX32, MAX32);
  }

  private async emit(bytes: Uint8Array): Promise<void> {
    await this.sink.write(bytes);
    this.offset += bytes.byteLength;
  }

  /** Appends one entry (its CRC-32 is computed here). */
  async add(name: string, data: Uint8Array): Promise<void> {
    const nameBytes = new TextEncoder().encode(name);
    if (nameBytes.byteLength > 0xffff) throw new TorchFileError(`zip entry name ${name.slice(0, 40)}… is too long`);
    const zip64 = data.byteLength >= this.threshold;
    const zip64Length = zip64 ? 20 : 0;
    const unpadded = this.offset + 30 + nameBytes.byteLength + zip64Length;
    let pad = (this.alignment - (unpadded % this.alignment)) % this.alignment;
    if (pad > 0 && pad < 4) pad += this.alignment;
    const header = new Uint8Array(30 + nameBytes.byteLength + zip64Length + pad);
    const view = new DataView(header.buffer);
    const crc32 = CRC32.buf(data) >>> 0;
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, zip64 ? 45 : 20, true);
    view.setUint32(14, crc32, true);
    view.setUint32(18, zip64 ? MAX32 : data.byteLength, true);
    view.setUint32(22, zip64 ? MAX32 : data.byteLength, true);
    view.setUint16(26, nameBytes.byteLength, true);
    view.setUint16(28, zip64Length + pad, true);
    header.set(nameBytes, 30);
    let e = 30 + nameBytes.byteLength;
    if (zip64) {
      view.setUint16(e, 0x0001, true);
      view.setUint16(e + 2, 16, true);
      view.setBigUint64(e + 4, BigInt(data.byteLength), true);
      view.setBigUint64(e + 12, BigInt(data.byteLength), true);
      e += 20;
    }
    if (pad > 0) {
      view.setUint16(e, PADDING_FIELD, true);
      view.setUint16(e + 2, pad - 4, true);
    }
    this.written.push({ name: nameBytes, size: data.byteLength, crc32, offset: this.offset });
    await this.emit(header);
    await this.emit(data);
  }

  /** Writes the central directory and the end records. */
  async finish(): Promise<void> {
    const cdOffset = this.offset;
    for (const w of this.written) {
      const bigSize = w.size >= this.threshold;
      const bigOffset = w.offset >= this.threshold;
      const zip64Length = bigSize || bigOffset ? 4 + (bigSize ? 16 : 0) + (bigOffset ? 8 : 0) : 0;
      const entry = new Uint8Array(46 + w.name.byteLength + zip64Length);
      const view = new DataView(entry.buffer);
      view.setUint32(0, 0x02014b50, true);
      view.setUint16(4, zip64Length ? 45 : 20, true);
      view.setUint16(6, zip64Length ? 45 : 20, true);
      view.setUint32(16, w.crc32, true);
      view.setUint32(20, bigSize ? MAX32 : w.size, true);
      view.setUint32(24, bigSize ? MAX32 : w.size, true);
      view.setUint16(28, w.name.byteLength, true);
      view.setUint16(30, zip64Length, true);
      view.setUint32(42, bigOffset ? MAX32 : w.offset, true);
      entry.set(w.name, 46);
      if (zip64Length) {
        let e = 46 + w.name.byteLength;
        view.setUint16(e, 0x0001, true);
        view.setUint16(e + 2, zip64Length - 4, true);
        e += 4;
        if (bigSize) {
          view.setBigUint64(e, BigInt(w.size), true);
          view.setBigUint64(e + 8, BigInt(w.size), true);
          e += 16;
        }
        if (bigOffset) view.setBigUint64(e, BigInt(w.offset), true);
      }
      await this.emit(entry);
    }
    const cdSize = this.offset - cdOffset;
    const count = this.written.length;
    const zip64 = count >= 0xffff || cdSize >= this.threshold || cdOffset >= this.threshold;
    if (zip64) {
      const record = new Uint8Array(56 + 20);
      const view = new DataView(record.buffer);
      view.setUint32(0, 0x06064b50, true);
      view.setBigUint64(4, 44n, true);
      view.setUint16(12, 45, true);
      view.setUint16(14, 45, true);
      view.setBigUint64(24, BigInt(count), true);
      view.setBigUint64(32, BigInt(count), true);
      view.setBigUint64(40, BigInt(cdSize), true);
      view.setBigUint64(48, BigInt(cdOffset), true);
      view.setUint32(56, 0x07064b50, true);
      view.setBigUint64(56 + 8, BigInt(this.offset), true);
      view.setUint32(56 + 16, 1, true);
      await this.emit(record);
    }
    const end = new Uint8Array(22);
    const view = new DataView(end.buffer);
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, zip64 ? 0xffff : count, true);
    view.setUint16(10, zip64 ? 0xffff : count, true);
    view.setUint32(12, zip64 ? MAX32 : cdSize, true);
    view.setUint32(16, zip64 ? MAX32 : cdOffset, true);
    await this.emit(end);
  }
}
