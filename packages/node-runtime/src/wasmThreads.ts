// Two threads for the wasm backend in Node. tfjs-backend-wasm ships a threaded build (emscripten
// pthreads) but turns it off under Node (tfjs issue #3830): it hands Node's worker_threads a
// `blob:` URL for the worker and for the module source, which Node cannot load, and it sizes the
// pool from os.cpus() / 2. This module makes it start, reliably:
// - the two scripts tfjs builds as Blobs (the worker and the module factory) are written to a
//   private temporary folder and loaded from there; the factory gets the few bundler-level names
//   it refers to (require$$N, commonjsGlobal), and the worker loads the factory from its file;
// - the pool size is the thread count asked for (os.cpus() is widened only while the backend starts);
// - a timer keeps the event loop alive while the workers load, and the workers are unref'd after,
//   so a finished program exits as it would without threads.
// Call enableWasmThreads() before the wasm backend starts (before the first setBackend('wasm')).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd';
const BUNDLE_NAMES = "var require$$0=require('fs'),require$$1=require('path'),require$$2=require('worker_threads'),require$$3=require('perf_hooks'),require$$4=require('os'),commonjsGlobal=globalThis;";
const WORKER_BLOB_IMPORT = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';

/** Why threads cannot work in this process, or null when they can. */
export function wasmThreadsUnsupported(): string | null {
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is unavailable';
  try {
    require('node:worker_threads');
  } catch {
    return 'worker_threads is unavailable';
  }
  if (tf.findBackend('wasm') && tf.getBackend() === 'wasm') return 'the wasm backend has already started';
  return null;
}

let enabled: { threads: number; dir: string } | null = null;

/**
 * Prepares the threaded wasm build with `threads` threads (≥ 2) and returns its scratch folder;
 * throws with the reason when this process cannot run it. Idempotent for the same count.
 */
export function enableWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 2) throw new Error(`wasm threads must be an integer >= 2, got ${threads}`);
  if (enabled) {
    if (enabled.threads !== threads) throw new Error(`wasm threads are already set to ${enabled.threads}`);
    return;
  }
  const why = wasmThreadsUnsupported();
  if (why) throw new Error(`wasm threads cannot start: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'tokenformer-wasm-threads-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  enabled = { threads, dir };

  // 1. Record the text of the two Blobs tfjs builds, so their object URLs can be files instead.
  const texts = new WeakMap<Blob, string>();
  let factoryFile: string | undefined;
  const NativeBlob = globalThis.Blob;
  globalThis.Blob = class extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (parts?.length === 1 && typeof parts[0] === 'string') {
        const text = parts[0];
        if (text.startsWith(FACTORY_PREFIX)) {
          factoryFile = join(dir, 'factory.js');
          writeFileSync(factoryFile, BUNDLE_NAMES + text);
        } else if (text.includes('worker_threads') && text.includes(WORKER_BLOB_IMPORT)) {
          texts.set(this, text);
        }
      }
    }
  };
  const createObjectURL = URL.createObjectURL.bind(URL);
  let workers = 0;
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined || factoryFile === undefined) return createObjectURL(blob);
    const file = join(dir, `worker-${workers++}.js`);
    writeFileSync(file, text.replace(WORKER_BLOB_IMPORT, `importScripts(${JSON.stringify(factoryFile)})`));
    return file;
  };

  // 2. Unref the pool's workers once the backend is up, so they never hold the process open.
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const created: import('node:worker_threads').Worker[] = [];
  let started = false;
  const NativeWorker = workerThreads.Worker;
  workerThreads.Worker = class extends NativeWorker {
    constructor(...args: ConstructorParameters<typeof NativeWorker>) {
      super(...args);
      if (started) this.unref();
      else created.push(this);
    }
  } as typeof NativeWorker;

  // 3. The flag tfjs sets false under Node, and the pool size.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const cpus = os.cpus;
  const keepAlive = setInterval(() => undefined, 1000);
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: Math.max(real.length, 2 * threads) }, (_, i) => real[i % real.length]!);
  };
  // Restored, and the event loop released, by wasmThreadsStarted() once the backend is up.
  onWasmStarted = () => {
    os.cpus = cpus;
    clearInterval(keepAlive);
    started = true;
    for (const w of created) w.unref();
  };
}

let onWasmStarted: (() => void) | undefined;

/** Call after setBackend('wasm') resolves: finishes the start-up and returns the threads in use. */
export function wasmThreadsStarted(): number {
  onWasmStarted?.();
  onWasmStarted = undefined;
  return getThreadsCount();
}
