// Tokenizing on every core: worker threads that each import an encoder factory (a module and an
// export, e.g. `@tokenformer/tokenizer/node`'s `createEncoder`) and encode batches of texts; the
// ids come back as transferred Int32Arrays.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataError } from '../errors.js';

/** Where workers get their encode function: `(await import(module))[exportName](options)`. */
export interface WorkerEncoder {
  /** A file: URL or absolute path of an ES module. */
  module: string;
  /** The factory export: `(options) => (text) => ids`. Default "createEncoder". */
  exportName?: string;
  /** Passed to the factory (structured-cloneable, e.g. `{ path: 'tokenizer.json' }`). */
  options?: unknown;
  /** Worker threads. Default: the cores available. */
  workers?: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = import(workerData.module).then((m) => {
  const factory = m[workerData.exportName];
  if (typeof factory !== 'function') throw new Error(workerData.module + ' has no export ' + workerData.exportName);
  return factory(workerData.options);
});
ready.catch(() => undefined); // reported with the first batch
parentPort.on('message', async ({ id, texts }) => {
  try {
    const encode = await ready;
    const out = [];
    for (const t of texts) out.push(Int32Array.from(await encode(t)));
    parentPort.postMessage({ id, out }, out.map((a) => a.buffer));
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e) });
  }
});
`;

export class EncodePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (v: Int32Array[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(spec: WorkerEncoder) {
    const count = spec.workers ?? availableParallelism();
    const module = spec.module.startsWith('file:') || !spec.module.startsWith('/') ? spec.module : `file://${spec.module}`;
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, exportName: spec.exportName ?? 'createEncoder', options: spec.options } });
      w.on('message', (m: { id: number; out?: Int32Array[]; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error !== undefined) p.reject(new DataError(`encoder worker: ${m.error}`));
        else p.resolve(m.out!);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(new DataError(`encoder worker: ${e.message}`));
        this.pending.clear();
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Ids of each text, encoded by the next worker in turn. */
  encode(texts: string[]): Promise<Int32Array[]> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
