// What the wasm kernels of pattention and model share: tfjs-wasm's backend as they use it, their
// registration, and one instance of a kernel module per backend heap. The modules import the heap's
// memory and work in place on tensors' bytes, so a kernel costs no copies in or out.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-wasm's backend the kernels use (it exports no type for them). */
export interface WasmBackendLike {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: string): TensorInfo;
  /** A view of a tensor's data on the heap; made after the last makeOutput, which may grow (and detach) it. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const registered = new Set<string>();

/**
 * Registers a kernel of our own (and its gradient, when it has one) for the wasm backend, the first
 * time it is asked for; a name tfjs already knows is left as it is.
 */
export function registerWasmKernel(kernelName: string, kernelFunc: KernelFunc, gradFunc?: GradConfig['gradFunc']): void {
  if (registered.has(kernelName)) return;
  registered.add(kernelName);
  if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  if (gradFunc && !tf.getGradient(kernelName)) tf.registerGradient({ kernelName, gradFunc });
}

/** A kernel module, as base64 binaries importing a plain and a shared memory (tools/scripts/build-wasm.mjs). */
export interface KernelModuleSource {
  plain: string;
  shared: string;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The heap of tfjs-wasm's backend: exported by its single-threaded builds, kept on the module by the threaded one. */
function heapOf(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  return backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
}

const instances = new WeakMap<KernelModuleSource, WeakMap<WebAssembly.Memory, WebAssembly.Exports | null>>();

/**
 * The module's exports bound to the backend's heap, made once per heap (a restarted backend has a
 * new one); null where they cannot be made (no heap found, no WebAssembly SIMD).
 */
export function kernelModule<T>(source: KernelModuleSource, backend: WasmBackendLike): T | null {
  const memory = heapOf(backend);
  if (!memory) return null;
  let perHeap = instances.get(source);
  if (!perHeap) instances.set(source, (perHeap = new WeakMap()));
  let exports = perHeap.get(memory);
  if (exports === undefined) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const module = new WebAssembly.Module(decodeBase64(shared ? source.shared : source.plain));
      exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    } catch {
      exports = null;
    }
    perHeap.set(memory, exports);
  }
  return exports as T | null;
}

/** Byte offset of a tensor's data in the heap. */
export function offsetOf(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}
