// Turns the id inputs users pass (tensors or nested arrays) into an int32 [B, T] tensor, with checks.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { InputError } from './errors.js';

/** Token ids: an int32 tensor [B, T] or [T], or (nested) arrays of integers. */
export type IdsInput = Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

function checkArray(rows: ArrayLike<number>[], vocabSize: number, what: string, alsoAllowed?: number): void {
  const T = rows[0]?.length ?? 0;
  rows.forEach((row, b) => {
    if (row.length !== T) throw new InputError(`${what}: row ${b} has ${row.length} ids, row 0 has ${T}`);
    for (let t = 0; t < row.length; t++) {
      const id = row[t]!;
      if (id === alsoAllowed) continue;
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new InputError(`${what}: id ${id} at [${b}, ${t}] is outside the vocabulary [0, ${vocabSize})`);
      }
    }
  });
}

/**
 * An int32 [B, T] tensor the caller disposes. Arrays are range-checked against vocabSize;
 * tensors are checked for dtype and rank only (a range check would force a GPU read-back).
 * `alsoAllowed` admits one out-of-vocabulary value (the loss's ignore index).
 */
export function toIdsTensor(ids: IdsInput, vocabSize: number, what = 'ids', alsoAllowed?: number): Tensor2D {
  if (ids instanceof tf.Tensor) {
    if (ids.dtype !== 'int32') throw new InputError(`${what} must be an int32 tensor, got ${ids.dtype}`);
    if (ids.rank === 1) return tf.reshape(ids, [1, ids.shape[0]!]);
    if (ids.rank === 2) return ids.clone() as Tensor2D;
    throw new InputError(`${what} must have rank 1 or 2 ([T] or [B, T]), got shape [${ids.shape}]`);
  }
  const first = (ids as ArrayLike<unknown>)[0];
  const rows = (typeof first === 'object' && first !== null ? Array.from(ids as ArrayLike<ArrayLike<number>>) : [ids]) as ArrayLike<number>[];
  if (rows.length === 0 || rows[0]!.length === 0) throw new InputError(`${what} is empty`);
  checkArray(rows, vocabSize, what, alsoAllowed);
  const T = rows[0]!.length;
  const flat = new Int32Array(rows.length * T);
  rows.forEach((row, b) => flat.set(Array.from(row), b * T));
  return tf.tensor2d(flat, [rows.length, T], 'int32');
}
