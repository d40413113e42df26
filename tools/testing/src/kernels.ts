// For the kernels of our own: run the same computation on the cpu backend (the composed tf ops, the
// reference) and on wasm or webgpu (the kernel), and say which kernels that backend ran and what it
// leaked.
import * as tf from '@tensorflow/tfjs';
import { useBackend } from './backends.js';
import { tensorsLeakedBy } from './leaks.js';

export interface CpuAndWasm<T> {
  cpu: T;
  wasm: T;
  /** Names of the kernels the wasm run executed. */
  wasmKernels: string[];
  /** Tensors the wasm run left behind. */
  wasmLeaked: number;
}

/** `run` on cpu, then on wasm (left active), which must read its results back itself. */
export async function onCpuAndWasm<T>(run: () => Promise<T>): Promise<CpuAndWasm<T>> {
  const { cpu, other, kernels, leaked } = await onCpuAnd('wasm', run);
  return { cpu, wasm: other, wasmKernels: kernels, wasmLeaked: leaked };
}

export interface CpuAndOther<T> {
  cpu: T;
  other: T;
  /** Names of the kernels the other backend's run executed. */
  kernels: string[];
  /** Tensors that run left behind. */
  leaked: number;
}

/** `run` on cpu, then on `backend` (left active), which must read its results back itself. */
export async function onCpuAnd<T>(backend: 'wasm' | 'webgpu', run: () => Promise<T>): Promise<CpuAndOther<T>> {
  await useBackend('cpu');
  const cpu = await run();
  await useBackend(backend);
  let other: T | undefined;
  let kernels: string[] = [];
  const leaked = await tensorsLeakedBy(async () => {
    const info = await tf.profile(async () => void (other = await run()));
    kernels = info.kernels.map((k) => k.name);
  });
  return { cpu, other: other as T, kernels, leaked };
}
