import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerInputError } from './errors.js';
import { Tokenizer } from './tokenizer.js';
import { BpeTrainer } from './trainer/bpeTrainer.js';
import { loadTokenizerFromUrl } from './url.js';

let server: Server;
let base: string;
let tokenizer: Tokenizer;

beforeAll(async () => {
  const trainer = new BpeTrainer({ vocabSize: 280 });
  trainer.feed('hello hello world world world');
  tokenizer = trainer.train();
  server = createServer((req, res) => {
    if (req.url === '/ckpt/tokenizer.json') res.end(tokenizer.toString());
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('loadTokenizerFromUrl', () => {
  it('fetches a tokenizer.json', async () => {
    const t = await loadTokenizerFromUrl(`${base}/ckpt/tokenizer.json`);
    expect(t.encodeIds('hello world')).toEqual(tokenizer.encodeIds('hello world'));
  });
  it('names the URL and the status when the server refuses', async () => {
    await expect(loadTokenizerFromUrl(`${base}/missing/tokenizer.json`)).rejects.toThrow(TokenizerInputError);
    await expect(loadTokenizerFromUrl(`${base}/missing/tokenizer.json`)).rejects.toThrow(/missing\/tokenizer\.json answered 404/);
  });
});
