// optimizer.safetensors: AdamW's state as bytes, in the one layout (OptimizerState: moments by
// `<name>.exp_avg` / `<name>.exp_avg_sq`, shaped like the model's exported weights, key tokens
// [n, d]) and the update count in the metadata. Browser-safe: no fs.
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, parseSafetensors, serializeSafetensors, toFloat32 } from '@tokenformer/model';
import type { OptimizerState } from './adamw.js';
import { TrainerConfigError } from './errors.js';

/** optimizer.safetensors bytes of `state` (the caller keeps `state`). */
export async function serializeOptimizerState(state: OptimizerState): Promise<Uint8Array> {
  const out = [];
  for (const [name, t] of state.moments) out.push({ name, shape: t.shape, data: (await t.data()) as Float32Array });
  return serializeSafetensors(out, { step: String(state.step) });
}

/** The state in optimizer.safetensors bytes (new tensors: the caller disposes the moments). */
export function deserializeOptimizerState(bytes: Uint8Array): OptimizerState {
  const file = parseSafetensors(bytes);
  const step = Number(file.metadata.step);
  if (!Number.isInteger(step) || step < 0) throw new TrainerConfigError(`optimizer state: metadata step = ${file.metadata.step} is not a step count`);
  const moments = new Map<string, tf.Tensor>();
  for (const [key, entry] of file.tensors) moments.set(key, tf.tensor(checkFinite(toFloat32(entry, key), key), entry.shape, 'float32'));
  return { step, moments };
}
