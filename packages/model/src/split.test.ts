import { describeEachBackend, expectAllClose, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { concat, split } from './split.js';

/** The piece of a row-major array of `shape` from `begin` to `begin + size` along `axis`, by index arithmetic. */
function slice(values: Float32Array, shape: number[], axis: number, begin: number, size: number): number[] {
  const outer = shape.slice(0, axis).reduce((a, s) => a * s, 1);
  const inner = shape.slice(axis + 1).reduce((a, s) => a * s, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = begin; i < begin + size; i++) {
      for (let j = 0; j < inner; j++) out.push(values[(o * shape[axis]! + i) * inner + j]!);
    }
  }
  return out;
}

const CASES: { shape: number[]; sizes: number[]; axis: number }[] = [
  { shape: [96, 8], sizes: [32, 32, 32], axis: 0 }, // head rows: one contiguous block per piece
  { shape: [2, 5, 3, 16], sizes: [8, 8], axis: -1 }, // rotate_half: short chunks per row
  { shape: [2, 5, 3, 64], sizes: [16, 48], axis: 3 }, // rotary / pass-through: long chunks per row
  { shape: [4, 6, 5], sizes: [1, 2, 3], axis: 1 },
];

describeEachBackend('split and concat', (backend) => {
  beforeAll(() => useBackend(backend));

  for (const { shape, sizes, axis } of CASES) {
    it(`split ${JSON.stringify(shape)} into ${JSON.stringify(sizes)} along ${axis}: values and gradient`, async () => {
      const n = shape.reduce((a, s) => a * s, 1);
      const values = randn(n, 1);
      const ax = axis < 0 ? axis + shape.length : axis;
      const x = tf.tensor(values, shape);
      const pieces = split(x, sizes, axis);
      let begin = 0;
      for (const [i, piece] of pieces.entries()) {
        expect(piece.shape).toEqual(shape.map((s, k) => (k === ax ? sizes[i] : s)));
        expect(Array.from(await piece.data())).toEqual(slice(values, shape, ax, begin, sizes[i]!));
        begin += sizes[i]!;
      }
      // d/dx Σ_i Σ(piece_i · w_i) is the w_i laid back in place; the last piece is unused (zero gradient)
      const ws = sizes.map((s, i) => tf.tensor(randn(n / shape[ax]! * s, 10 + i), shape.map((d, k) => (k === ax ? s : d))));
      const grad = tf.grad((t: tf.Tensor) => tf.addN(split(t, sizes, axis).slice(0, -1).map((p, i) => tf.sum(tf.mul(p, ws[i]!)))))(x);
      const expected = tf.concat([...ws.slice(0, -1), tf.zerosLike(ws[ws.length - 1]!)], ax);
      expectAllClose(await grad.data(), await expected.data(), 0, 0);
      tf.dispose([x, ...pieces, ...ws, grad, expected]);
    });

    it(`concat of ${JSON.stringify(sizes)} along ${axis} and its gradient (the split)`, async () => {
      const ax = axis < 0 ? axis + shape.length : axis;
      const xs = sizes.map((s, i) => tf.tensor(randn(shape.reduce((a, d) => a * d, 1) / shape[ax]! * s, 20 + i), shape.map((d, k) => (k === ax ? s : d))));
      const joined = concat(xs, axis);
      expectAllClose(await joined.data(), await tf.concat(xs, ax).data(), 0, 0);
      const w = randn(shape.reduce((a, s) => a * s, 1), 30);
      const wT = tf.tensor(w, shape);
      const grads = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(concat(ts, axis), wT)))(xs);
      let begin = 0;
      for (const [i, g] of grads.entries()) {
        expect(Array.from(await g.data())).toEqual(slice(w, shape, ax, begin, sizes[i]!));
        begin += sizes[i]!;
      }
      tf.dispose([...xs, joined, wT, ...grads]);
    });
  }

  it('splits a 16 MB tensor (heap growth while the pieces are made) and leaks nothing', async () => {
    const rows = 1 << 14;
    const x = tf.tensor2d(randn(rows * 256, 5), [rows, 256]);
    const lastRow = async (t: tf.Tensor) => {
      const row = tf.slice(t, [t.shape[0]! - 1, 0], [1, 256]);
      const values = Array.from(await row.data());
      row.dispose();
      return values;
    };
    const corner = await lastRow(x);
    const leaked = await tensorsLeakedBy(async () => {
      const pieces = split(x, [rows / 2, rows / 4, rows / 4], 0);
      expect(await lastRow(pieces[2]!)).toEqual(corner);
      const same = tf.tidy(() => tf.all(tf.equal(concat(pieces, 0), x)));
      expect((await same.data())[0]).toBe(1);
      tf.dispose([...pieces, same]);
    });
    expect(leaked).toBe(0);
    x.dispose();
  });
});
