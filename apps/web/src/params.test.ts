// The page's URL settings and its Range-reading byte source, outside the browser.
import { bytesSource, deserializeCheckpointFromSource, serializeCheckpoint, createConfig, TokenFormer } from '@tokenformer/model';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { httpSource } from './httpSource.js';
import { DEFAULTS, readSettings, settingsQuery, SettingsError } from './params.js';

describe('URL settings', () => {
  it('reads every setting, and writes a query that reads back the same', () => {
    const s = readSettings('?model=models/x/&tokenizer=t.json&prompt=Hello%20there&max_new_tokens=5&temperature=0&top_k=3&top_p=0.9&seed=7&stop=%3C%7Cendoftext%7C%3E,%0A&backend=wasm&run=1');
    expect(s).toEqual({ model: 'models/x/', tokenizer: 't.json', prompt: 'Hello there', maxNewTokens: 5, temperature: 0, topK: 3, topP: 0.9, seed: 7, stop: ['<|endoftext|>', '\n'], backend: 'wasm', run: true });
    expect(readSettings(settingsQuery(s))).toEqual({ ...s, run: false });
    expect(readSettings('')).toEqual(DEFAULTS);
  });

  it.each([
    ['?max_new_tokens=0', /max_new_tokens=0 must be an integer >= 1/],
    ['?temperature=-1', /temperature=-1 must be >= 0/],
    ['?top_p=1.5', /top_p=1.5 must be in \(0, 1\]/],
    ['?top_k=2.5', /top_k=2.5 must be an integer >= 0/],
    ['?backend=cpu', /backend=cpu must be webgpu or wasm/],
  ])('%s is refused by name', (query, message) => {
    expect(() => readSettings(query)).toThrow(SettingsError);
    expect(() => readSettings(query)).toThrow(message);
  });
});

describe('httpSource', () => {
  const file = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  /** A server answering Range requests (206) or ignoring them (200). */
  const server = (ranges: boolean, log: string[]) => (async (_url: string | URL | Request, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('range');
    log.push(range ?? 'all');
    const m = range ? /bytes=(\d+)-(\d+)/.exec(range) : null;
    if (!ranges || !m) return new Response(file, { status: 200, headers: { 'content-length': String(file.length) } });
    const [a, b] = [Number(m[1]), Number(m[2])];
    return new Response(file.slice(a, b + 1), { status: 206, headers: { 'content-range': `bytes ${a}-${b}/${file.length}` } });
  }) as typeof fetch;

  it('reads slices with Range requests, never the whole file', async () => {
    const log: string[] = [];
    const progress: number[] = [];
    const source = await httpSource('http://x/model.safetensors', { fetchImpl: server(true, log), onProgress: (n) => progress.push(n) });
    expect(source.size).toBe(1000);
    expect(Array.from(await source.read(100, 5))).toEqual([100, 101, 102, 103, 104]);
    expect(log).toEqual(['bytes=0-7', 'bytes=100-104']);
    expect(progress).toEqual([5]);
  });

  it('falls back to one whole read when the server ignores Range', async () => {
    const log: string[] = [];
    const source = await httpSource('http://x/model.safetensors', { fetchImpl: server(false, log) });
    expect(Array.from(await source.read(998, 2))).toEqual([998 % 251, 999 % 251]);
    expect(log).toEqual(['bytes=0-7']);
  });

  it('a checkpoint loads through it tensor by tensor, equal to the bytes', async () => {
    await tf.setBackend('cpu');
    const model = new TokenFormer(createConfig({ vocabSize: 64, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 16 }), { seed: 1 });
    const { config, weights } = await serializeCheckpoint(model);
    const log: string[] = [];
    const fetchImpl = (async (_u: string | URL | Request, init?: RequestInit) => {
      const m = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get('range') ?? '')!;
      log.push(m[0]);
      return new Response(weights.slice(Number(m[1]), Number(m[2]) + 1), { status: 206, headers: { 'content-range': `bytes ${m[1]}-${m[2]}/${weights.length}` } });
    }) as typeof fetch;
    const again = await deserializeCheckpointFromSource(config, await httpSource('http://x/m', { fetchImpl }));
    const direct = await deserializeCheckpointFromSource(config, bytesSource(weights));
    const [a, b] = [again.forward([[1, 2, 3]]), direct.forward([[1, 2, 3]])];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(log.length).toBe(1 + 2 + 13); // the probe, header length + header, then one per tensor (embedding, 10 token tensors, 2 norm)
    tf.dispose([a, b]);
    [model, again, direct].forEach((m) => m.dispose());
  });
});
