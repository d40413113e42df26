// Where a run is kept between visits: the origin private file system (OPFS), or IndexedDB where the
// browser has no OPFS. One run at a time. Its token data is written once (`data/`); each checkpoint
// goes to a fresh folder and becomes current only when the small `latest` pointer is committed
// (a writable's close is atomic), so a reload mid-save resumes from the previous checkpoint.
export type Files = Map<string, Uint8Array>;

export interface RunStore {
  readonly kind: 'opfs' | 'indexeddb';
  saveData(files: Files): Promise<void>;
  saveCheckpoint(step: number, files: Files): Promise<void>;
  /** The data and the latest checkpoint, or null when no run is saved. */
  load(): Promise<{ data: Files; checkpoint: Files } | null>;
  clear(): Promise<void>;
}

const ROOT = 'tokenformer-train';

async function writeFile(dir: FileSystemDirectoryHandle, name: string, bytes: Uint8Array): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  await w.write(bytes as unknown as ArrayBuffer);
  await w.close();
}

async function readDir(dir: FileSystemDirectoryHandle): Promise<Files> {
  const files: Files = new Map();
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'file') files.set(name, new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()));
  }
  return files;
}

class OpfsStore implements RunStore {
  readonly kind = 'opfs' as const;
  constructor(private readonly root: FileSystemDirectoryHandle) {}

  async saveData(files: Files): Promise<void> {
    const dir = await this.root.getDirectoryHandle('data', { create: true });
    for (const [name, bytes] of files) await writeFile(dir, name, bytes);
  }

  async saveCheckpoint(step: number, files: Files): Promise<void> {
    const name = `checkpoint-${step}-${Date.now()}`;
    const dir = await this.root.getDirectoryHandle(name, { create: true });
    for (const [file, bytes] of files) await writeFile(dir, file, bytes);
    await writeFile(this.root, 'latest', new TextEncoder().encode(name));
    for await (const old of (this.root as unknown as { keys(): AsyncIterable<string> }).keys()) {
      if (old.startsWith('checkpoint-') && old !== name) await this.root.removeEntry(old, { recursive: true });
    }
  }

  async load(): Promise<{ data: Files; checkpoint: Files } | null> {
    try {
      const latest = new TextDecoder().decode(new Uint8Array(await (await (await this.root.getFileHandle('latest')).getFile()).arrayBuffer()));
      return { data: await readDir(await this.root.getDirectoryHandle('data')), checkpoint: await readDir(await this.root.getDirectoryHandle(latest)) };
    } catch {
      return null; // nothing saved (or never committed)
    }
  }

  async clear(): Promise<void> {
    for await (const name of (this.root as unknown as { keys(): AsyncIterable<string> }).keys()) await this.root.removeEntry(name, { recursive: true });
  }
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** IndexedDB: one object store, records `data` and `checkpoint`, each put in one transaction. */
class IndexedDbStore implements RunStore {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBDatabase) {}

  private async put(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction(ROOT, 'readwrite');
    tx.objectStore(ROOT).put(value, key);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  saveData(files: Files): Promise<void> {
    return this.put('data', files);
  }

  saveCheckpoint(step: number, files: Files): Promise<void> {
    return this.put('checkpoint', files);
  }

  async load(): Promise<{ data: Files; checkpoint: Files } | null> {
    const store = this.db.transaction(ROOT, 'readonly').objectStore(ROOT);
    const [data, checkpoint] = await Promise.all([request(store.get('data')), request(store.get('checkpoint'))]);
    return data && checkpoint ? { data: data as Files, checkpoint: checkpoint as Files } : null;
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(ROOT, 'readwrite');
    await request(tx.objectStore(ROOT).clear());
  }
}

/** OPFS when the browser has it (and `prefer` is not 'indexeddb'), else IndexedDB. */
export async function openRunStore(prefer: 'opfs' | 'indexeddb' = 'opfs'): Promise<RunStore> {
  if (prefer === 'opfs' && typeof navigator.storage?.getDirectory === 'function') {
    try {
      const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(ROOT, { create: true });
      return new OpfsStore(root);
    } catch {
      // no OPFS here (e.g. a private window): IndexedDB below
    }
  }
  const open = indexedDB.open(ROOT, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(ROOT);
  return new IndexedDbStore(await request(open));
}
