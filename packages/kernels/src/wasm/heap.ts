// What the wasm kernels share: tfjs-wasm's backend as they use it, and one instance of a kernel
// module per backend heap. The modules import the heap's memory and work in place on tensors'
// bytes, so a kernel costs no copies in or out.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The parts of tfjs-wasm's backend the kernels use. `typedArrayFromHeap` gives a view of a tensor's
 * data on the heap: make it after the last makeOutput, which may grow (and detach) the heap.
 */
export type WasmBackendLike = Pick<BackendWasm, 'makeOutput' | 'typedArrayFromHeap' | 'getMemoryOffset' | 'wasm'>;

/** Where the heap's memory sits on tfjs-wasm's emscripten module (not in its declared types). */
interface HeapHolder {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
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

/** Whether this engine can compile the module (it needs WebAssembly SIMD). */
export function moduleSupported(source: KernelModuleSource): boolean {
  try {
    return WebAssembly.validate(decodeBase64(source.plain));
  } catch {
    return false;
  }
}

/** The heap of tfjs-wasm's backend: exported by its single-threaded builds, kept on the module by the threaded one. */
function heapOf(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  const module = backend.wasm as unknown as HeapHolder | undefined;
  return module?.wasmMemory ?? module?.asm?.memory;
}

const instances = new WeakMap<KernelModuleSource, WeakMap<WebAssembly.Memory, WebAssembly.Exports>>();

/** The module's exports bound to the backend's heap, made once per heap (a restarted backend has a new one). */
export function kernelModule<T>(source: KernelModuleSource, backend: WasmBackendLike): T {
  const memory = heapOf(backend);
  if (!memory) throw new Error("tokenformer's wasm kernels found no heap on the wasm backend (an unexpected @tensorflow/tfjs-backend-wasm build?)");
  let perHeap = instances.get(source);
  if (!perHeap) instances.set(source, (perHeap = new WeakMap()));
  let exports = perHeap.get(memory);
  if (exports === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(decodeBase64(shared ? source.shared : source.plain));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    perHeap.set(memory, exports);
  }
  return exports as T;
}

/** True when the backend's heap is shared (tfjs-wasm's threaded build, XNNPACK on several threads). */
export function heapIsShared(backend: WasmBackendLike): boolean {
  const memory = heapOf(backend);
  return memory !== undefined && typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** Byte offset of a tensor's data in the heap. */
export function offsetOf(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}
