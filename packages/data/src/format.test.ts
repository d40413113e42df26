// The .idx/.bin layout against the format's specification, byte for byte; round trips; and
// damaged files, which must give typed errors (never a crash or a hang).
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetFormatError } from './errors.js';
import { bestFittingDtype } from './format.js';
import { IndexedDataset } from './node/dataset.js';
import { IndexedDatasetWriter } from './node/writer.js';
import { seededRandom } from './random.js';

const dir = mkdtempSync(join(tmpdir(), 'idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The .idx bytes written out by hand from the format's description (megatron/data/indexed_dataset.py). */
function specIndex(code: number, itemBytes: number, sizes: number[], docIdx: number[]): Uint8Array {
  const parts: number[] = [];
  const push = (n: number, bytes: number, signed = false): void => {
    const b = new DataView(new ArrayBuffer(bytes));
    if (bytes === 1) b.setUint8(0, n);
    else if (bytes === 4) b.setInt32(0, n, true);
    else if (signed) b.setBigInt64(0, BigInt(n), true);
    else b.setBigUint64(0, BigInt(n), true);
    parts.push(...new Uint8Array(b.buffer));
  };
  parts.push(...[...'MMIDIDX'].map((c) => c.charCodeAt(0)), 0, 0);
  push(1, 8); // version
  push(code, 1); // dtype code
  push(sizes.length, 8);
  push(docIdx.length, 8);
  for (const s of sizes) push(s, 4);
  let pointer = 0;
  for (const s of sizes) {
    push(pointer, 8, true);
    pointer += s * itemBytes;
  }
  for (const d of docIdx) push(d, 8, true);
  return Uint8Array.from(parts);
}

function write(name: string, vocabSize: number, docs: number[][][]): string {
  const prefix = join(dir, name);
  const w = new IndexedDatasetWriter(prefix, bestFittingDtype(vocabSize));
  for (const doc of docs) {
    for (const item of doc) w.addItem(item);
    w.endDocument();
  }
  w.finalize();
  return prefix;
}

describe('indexed dataset format', () => {
  it('writes the specification bytes: uint16 below 65,500 ids, int32 from there', () => {
    const docs = [[[5, 6, 7]], [[65499]], [[1, 2], [3]], []];
    const small = write('small', 50304, docs);
    expect(new Uint8Array(readFileSync(`${small}.idx`))).toEqual(specIndex(8, 2, [3, 1, 2, 1], [0, 1, 2, 4, 4]));
    expect([...new Uint16Array(new Uint8Array(readFileSync(`${small}.bin`)).buffer)]).toEqual([5, 6, 7, 65499, 1, 2, 3]);
    const large = write('large', 65500, docs);
    expect(new Uint8Array(readFileSync(`${large}.idx`))).toEqual(specIndex(4, 4, [3, 1, 2, 1], [0, 1, 2, 4, 4]));
    expect(readFileSync(`${large}.bin`).length).toBe(7 * 4);
  });

  it('reads back what it wrote, for random documents', () => {
    const rand = seededRandom(3);
    for (const vocab of [300, 100000]) {
      const docs = Array.from({ length: 200 }, () => [Array.from({ length: Math.floor(rand() * 50) }, () => Math.floor(rand() * vocab))]);
      const ds = IndexedDataset.open(write(`rt${vocab}`, vocab, docs));
      expect(ds.numDocuments).toBe(200);
      expect(ds.numDocumentGroups).toBe(200);
      docs.forEach((d, i) => expect([...ds.get(i)]).toEqual(d[0]));
      const part = new Int32Array(3);
      const long = docs.findIndex((d) => d[0]!.length > 10);
      ds.read(long, 4, 3, part, 0);
      expect([...part]).toEqual(docs[long]![0]!.slice(4, 7));
      ds.close();
    }
  });

  it('refuses ids that do not fit the dtype', () => {
    const w = new IndexedDatasetWriter(join(dir, 'bad'), 'uint16');
    expect(() => w.addItem([65536])).toThrow(/token id 65536 does not fit uint16/);
    w.abort();
  });

  describe('damaged files give DatasetFormatError naming the field', () => {
    const base = write('base', 1000, [[[1, 2, 3]], [[4, 5]]]);
    const idx = readFileSync(`${base}.idx`);
    const bin = readFileSync(`${base}.bin`);
    const damaged = (name: string, idxBytes: Uint8Array, binBytes: Uint8Array = bin): string => {
      const prefix = join(dir, name);
      writeFileSync(`${prefix}.idx`, idxBytes);
      writeFileSync(`${prefix}.bin`, binBytes);
      return prefix;
    };
    const patched = (at: number, value: number): Uint8Array => {
      const b = Uint8Array.from(idx);
      b[at] = value;
      return b;
    };
    it.each([
      ['magic', () => damaged('magic', patched(0, 0x4e)), /magic/],
      ['version', () => damaged('version', patched(9, 2)), /version: 2/],
      ['dtype', () => damaged('dtype', patched(17, 6)), /dtype: code 6 \(float32\)/],
      ['a truncated .idx', () => damaged('short', idx.subarray(0, idx.length - 3)), /length: 2 items and 3 document boundaries need/],
      ['a header cut short', () => damaged('header', idx.subarray(0, 20)), /header: 20 bytes/],
      ['a truncated .bin', () => damaged('shortbin', idx, bin.subarray(0, bin.length - 2)), /\.bin size: 8 bytes, the index describes 10/],
      ['a pointer out of place', () => damaged('pointer', patched(34 + 8 + 8, 7)), /pointers\[1\]/],
      ['a negative size', () => damaged('size', patched(37, 0xff)), /sizes\[0\]/],
      ['boundaries out of order', () => damaged('docidx', patched(34 + 8 + 16 + 8, 9)), /doc_idx\[1\]/],
    ])('%s', (_name, make, message) => {
      const prefix = make();
      expect(() => IndexedDataset.open(prefix)).toThrow(DatasetFormatError);
      expect(() => IndexedDataset.open(prefix)).toThrow(message);
    });
    it('a missing .bin', () => {
      const prefix = damaged('nobin', idx);
      truncateSync(`${prefix}.bin`, 0);
      rmSync(`${prefix}.bin`);
      expect(() => IndexedDataset.open(prefix)).toThrow(/nobin\.bin: file: does not exist/);
    });
  });
});
