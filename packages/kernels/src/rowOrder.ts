// The positions of ids grouped by id (a stable counting sort), for SCATTER_ADD_ROWS; and the ids'
// values when the backend still holds them on the CPU (a batch made from an Int32Array, before a
// GPU kernel uploaded it), read without waiting on the device.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { KernelInputError } from './errors.js';

/** ids [N] in [0, V) → order [N] (positions by id, ascending within an id) and starts [V + 1]. */
export function rowOrder(ids: ArrayLike<number>, V: number): { order: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(V + 1);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && id < V)) throw new KernelInputError(`id ${id} at position ${i} is outside the embedding's ${V} rows`);
    starts[id + 1]!++;
  }
  for (let v = 0; v < V; v++) starts[v + 1]! += starts[v]!;
  const next = starts.slice(0, V);
  const order = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) order[next[ids[i]!]!++] = i;
  return { order, starts };
}

/** The int32 values of `t` if the active backend holds them on the CPU now, else null (never a device read). */
export function cpuResidentInt32(t: TensorInfo): Int32Array | null {
  if (t.dtype !== 'int32') return null;
  const backend = tf.backend() as unknown as { tensorMap?: { get(id: object): { values?: unknown } | undefined }; data?: { get(id: object): { values?: unknown } | undefined } };
  const values = (backend.tensorMap ?? backend.data)?.get(t.dataId)?.values;
  return values instanceof Int32Array ? values : null;
}
