// The training page's pieces outside the browser: its URL settings, the text readers and the
// held-out split (the worker and the page run in the e2e test).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../params.js';
import { CorpusError, documentsOf, splitTokens } from './corpus.js';
import { readTrainSettings, TRAIN_DEFAULTS, trainQuery } from './settings.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('training URL settings', () => {
  it('reads the contract\'s keys, and writes a query that reads back the same', () => {
    const s = readTrainSettings('?mode=train&preset=small&text=t.txt&vocab=1000&steps=50&batch=2&seq=16&lr=0.001&seed=3&grow_at=25&add_qkv=4&add_proj=4&add_ffn=16&backend=wasm&run=1');
    expect(s).toEqual({ ...TRAIN_DEFAULTS, preset: 'small', text: 't.txt', vocab: 1000, steps: 50, batch: 2, seq: 16, lr: 0.001, seed: 3, growAt: 25, addQkv: 4, addProj: 4, addFfn: 16, backend: 'wasm', run: true });
    expect(readTrainSettings(trainQuery(s))).toEqual({ ...s, run: false });
    expect(readTrainSettings('?mode=train&model=models/x/&resume=1')).toMatchObject({ model: 'models/x/', resume: true });
  });

  it.each([
    ['?vocab=100', /vocab=100 must be an integer in \[258, 65536\]/],
    ['?steps=0', /steps=0 must be an integer in \[1, 10000000\]/],
    ['?lr=2', /lr=2 must be a number in \(0, 1\]/],
    ['?seq=1', /seq=1 must be an integer in \[2, 8192\]/],
    ['?preset=huge', /preset=huge must be one of tokenformer-150m, .*tiny/],
    ['?backend=cpu', /backend=cpu must be webgpu or wasm/],
    ['?steps=10&grow_at=10&add_ffn=4', /grow_at=10 must be below steps=10/],
    ['?grow_at=5', /grow_at=5 needs add_qkv, add_proj or add_ffn > 0/],
    ['?model=m/&preset=tiny', /model= .* or preset= .*not both/],
  ])('%s is refused by name with its limit', (query, message) => {
    expect(() => readTrainSettings(query)).toThrow(SettingsError);
    expect(() => readTrainSettings(query)).toThrow(message);
  });
});

describe('training text', () => {
  it('reads .txt as one document and .jsonl one per line, gzipped or not', async () => {
    expect(await documentsOf({ name: 'a.txt', bytes: bytes('one\n\ntwo') })).toEqual(['one\n\ntwo']);
    const jsonl = '{"text":"first"}\n\n{"text":"second","meta":1}\n';
    expect(await documentsOf({ name: 'a.jsonl', bytes: bytes(jsonl) })).toEqual(['first', 'second']);
    expect(await documentsOf({ name: 'a.jsonl.gz', bytes: new Uint8Array(gzipSync(jsonl)) })).toEqual(['first', 'second']);
    expect(await documentsOf({ name: 'a.txt.gz', bytes: new Uint8Array(gzipSync('plain')) })).toEqual(['plain']);
  });

  it('names the file and the line of bad input', async () => {
    await expect(documentsOf({ name: 'x.jsonl', bytes: bytes('{"text":"ok"}\n{oops\n') })).rejects.toThrow(/x\.jsonl, line 2: not JSON/);
    await expect(documentsOf({ name: 'x.jsonl', bytes: bytes('{"body":"no text"}\n') })).rejects.toThrow(/x\.jsonl, line 1: no "text" string field/);
    await expect(documentsOf({ name: 'x.gz', bytes: bytes('not gzip') })).rejects.toThrow(CorpusError);
    await expect(documentsOf({ name: 'x.txt', bytes: new Uint8Array([0xff, 0xfe, 0x41]) })).rejects.toThrow(/x\.txt: not UTF-8/);
  });

  it('ends each document with the end-of-document id and holds out the last tenth (at least one batch)', () => {
    const docs = [Array.from({ length: 99 }, (_, i) => i + 1), Array.from({ length: 99 }, (_, i) => i + 200)];
    const { train, valid } = splitTokens(docs, 0, 2, 4); // 200 tokens, batch 2 × 4 + 1 = 9
    expect(train.length + valid.length).toBe(200);
    expect(valid.length).toBe(20);
    expect(train[99]).toBe(0);
    expect(valid[valid.length - 1]).toBe(0);
    expect(Array.from(valid.slice(0, 3))).toEqual([280, 281, 282]);
    expect(splitTokens([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]], 0, 2, 4).valid.length).toBe(9);
    expect(() => splitTokens([[1, 2, 3]], 0, 2, 4)).toThrow(/the text has 4 tokens; batch=2 × seq=4 needs at least 18/);
  });
});
