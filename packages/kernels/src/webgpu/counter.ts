// Counts GPU dispatches and the bytes of the tensors they write, tfjs's own programs and ours: the
// figures `pnpm bench:webgpu` reports per training step and per generated token.
import type { TensorInfo } from '@tensorflow/tfjs-core';

export interface DispatchCount {
  /** Compute dispatches recorded. */
  dispatches: number;
  /** Bytes of the output tensors those dispatches wrote (each a new buffer from the pool). */
  bytes: number;
}

const count: DispatchCount = { dispatches: 0, bytes: 0 };
const counted = new WeakSet<object>();

function bytesOf(outputs: readonly TensorInfo[]): number {
  return outputs.reduce((n, t) => n + 4 * t.shape.reduce((a, b) => a * b, 1), 0);
}

/** Called by our runner for each dispatch. */
export function countDispatch(outputs: readonly TensorInfo[]): void {
  count.dispatches++;
  count.bytes += bytesOf(outputs);
}

/**
 * Starts counting tfjs's own programs on this WebGPU backend (tf.backend() while webgpu is active)
 * as well as ours; idempotent. Returns false where the backend has no `recordAndSubmit` to observe.
 */
export function countWebGpuDispatches(backend: unknown): boolean {
  const b = backend as { recordAndSubmit?: (program: unknown, output: TensorInfo, ...rest: unknown[]) => void };
  if (typeof b?.recordAndSubmit !== 'function') return false;
  if (counted.has(b)) return true;
  const original = b.recordAndSubmit;
  b.recordAndSubmit = function (this: unknown, program: unknown, output: TensorInfo, ...rest: unknown[]) {
    countDispatch([output]);
    return original.call(this, program, output, ...rest);
  };
  counted.add(b);
  return true;
}

/** The counts so far (a copy). */
export function dispatchCount(): DispatchCount {
  return { ...count };
}
