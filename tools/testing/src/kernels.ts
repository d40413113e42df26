// For the wasm kernels of our own: run the same computation on the cpu backend (the composed tf ops,
// the reference) and on wasm (the kernel), and say which kernels wasm ran and what it leaked.
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
  await useBackend('cpu');
  const cpu = await run();
  await useBackend('wasm');
  let wasm: T | undefined;
  let names: string[] = [];
  const leaked = await tensorsLeakedBy(async () => {
    const info = await tf.profile(async () => void (wasm = await run()));
    names = info.kernels.map((k) => k.name);
  });
  return { cpu, wasm: wasm as T, wasmKernels: names, wasmLeaked: leaked };
}
