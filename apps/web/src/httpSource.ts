// A ByteSource over a URL: HTTP Range requests read the safetensors header and then one tensor at
// a time, so the page never holds the weights file whole. A server that ignores Range (200 instead
// of 206) is read whole once, with progress, and served from memory.
import { bytesSource, type ByteSource } from '@tokenformer/model';

export interface HttpSourceOptions {
  /** Bytes read so far and the file's size. */
  onProgress?: (loaded: number, total: number) => void;
  fetchImpl?: typeof fetch;
}

async function readAll(res: Response, total: number, onProgress?: (loaded: number, total: number) => void): Promise<Uint8Array> {
  const out = new Uint8Array(total);
  const reader = res.body!.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, at);
    at += value.byteLength;
    onProgress?.(at, total);
  }
  if (at !== total) throw new Error(`${res.url}: got ${at} of ${total} bytes`);
  return out;
}

export async function httpSource(url: string, options: HttpSourceOptions = {}): Promise<ByteSource> {
  const f = options.fetchImpl ?? fetch;
  const probe = await f(url, { headers: { Range: 'bytes=0-7' } });
  if (!probe.ok) throw new Error(`GET ${url} failed: ${probe.status} ${probe.statusText}`);
  if (probe.status !== 206) {
    const total = Number(probe.headers.get('content-length') ?? 0);
    const bytes = total > 0 ? await readAll(probe, total, options.onProgress) : new Uint8Array(await probe.arrayBuffer());
    return bytesSource(bytes);
  }
  await probe.arrayBuffer();
  const range = /\/(\d+)$/.exec(probe.headers.get('content-range') ?? '');
  if (!range) throw new Error(`${url}: a 206 response without a Content-Range size`);
  const size = Number(range[1]);
  let loaded = 0;
  return {
    size,
    async read(offset, length) {
      if (length === 0) return new Uint8Array(0);
      const res = await f(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
      if (res.status !== 206) throw new Error(`GET ${url} bytes ${offset}-${offset + length - 1}: status ${res.status}`);
      const bytes = await readAll(res, length);
      loaded += length;
      options.onProgress?.(Math.min(loaded, size), size);
      return bytes;
    },
  };
}
