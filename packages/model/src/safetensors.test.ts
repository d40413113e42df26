import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, SafetensorsError, parseSafetensors, serializeSafetensors, toFloat32 } from './index.js';

/** Builds a file from a header object and a data buffer, as another writer would. */
function rawFile(header: unknown, data: Uint8Array, headerText?: string): Uint8Array {
  const text = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips float32 and int32 tensors with metadata, header padded to 8 bytes', () => {
    const a = Float32Array.from([1.5, -2, 3.25, 1e-30, -0, 7]);
    const b = Int32Array.from([1, -2, 2147483647]);
    const bytes = serializeSafetensors([{ name: 'b', shape: [3], data: b }, { name: 'a', shape: [2, 3], data: a }], { format: 'pt' });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.get('a')!.shape).toEqual([2, 3]);
    expect(Array.from(toFloat32(file.tensors.get('a')!))).toEqual(Array.from(a));
    const e = file.tensors.get('b')!;
    expect(e.dtype).toBe('I32');
    expect(Array.from(new Int32Array(e.bytes.slice().buffer))).toEqual(Array.from(b));
  });

  it('converts F16, BF16 and F64 to float32', () => {
    // 1.0, -2.0, 0.5, 65504 in IEEE half; 1.0, -2.0 in bfloat16; 0.1 in float64
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]).buffer);
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc000]).buffer);
    const f64 = new Uint8Array(new Float64Array([0.1]).buffer);
    const data = new Uint8Array([...f16, ...bf16, ...f64]);
    const file = parseSafetensors(rawFile({
      h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
      d: { dtype: 'F64', shape: [1], data_offsets: [12, 20] },
    }, data));
    expect(Array.from(toFloat32(file.tensors.get('h')!))).toEqual([1, -2, 0.5, 65504]);
    expect(Array.from(toFloat32(file.tensors.get('b')!))).toEqual([1, -2]);
    expect(toFloat32(file.tensors.get('d')!)[0]).toBeCloseTo(0.1, 7);
  });

  const four = new Uint8Array(16);
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', new Uint8Array(4), /shorter than the 8-byte header length/],
    ['a header length over the limit', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true); return b; })(), /exceeds the limit/],
    ['a header length past the end', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 100n, true); return b; })(), /runs past the end/],
    ['a header that is not JSON', rawFile(null, four, '{"a": '), /not valid UTF-8 JSON/],
    ['a header that is a list', rawFile([1, 2], four), /not a JSON object/],
    ['an unknown dtype', rawFile({ a: { dtype: 'F8', shape: [4], data_offsets: [0, 16] } }, four), /unknown dtype "F8"/],
    ['a bad shape', rawFile({ a: { dtype: 'F32', shape: [-4], data_offsets: [0, 16] } }, four), /not a list of non-negative integers/],
    ['offsets outside the data', rawFile({ a: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } }, four), /fall outside the 16-byte data/],
    ['a size that does not match the shape', rawFile({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, four), /16 bytes for F32 \[3\], which needs 12/],
    ['overlapping tensors', rawFile({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, four), /overlap/],
    ['a hole', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, four), /hole of 8 bytes/],
    ['unindexed trailing bytes', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, four), /8 bytes after the last tensor/],
    ['non-string metadata', rawFile({ __metadata__: { a: 1 }, a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, four), /__metadata__.a is not a string/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => parseSafetensors(bytes)).toThrow(SafetensorsError);
      expect(() => parseSafetensors(bytes)).toThrow(message);
    });
  }

  it('refuses to read an integer tensor as floats', () => {
    const file = parseSafetensors(serializeSafetensors([{ name: 'i', shape: [1], data: Int32Array.from([1]) }]));
    expect(() => toFloat32(file.tensors.get('i')!, 'i')).toThrow(/i has dtype I32, not a float type/);
  });
});
