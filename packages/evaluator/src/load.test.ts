// The high-level entry: TokenFormerLM.load from a checkpoint directory, a run directory and a URL
// (a fetch over the same files), generating what the model's own generate gives for the same ids and
// options, and scoring texts as the rolling-window perplexity does.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { saveCheckpoint } from '@tokenformer/model/node';
import { BpeTrainer } from '@tokenformer/tokenizer';
import { tensorsLeakedBy, useBackend } from '@tokenformer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluatorError } from './errors.js';
import { TokenFormerLM as BrowserLM, textPerplexity } from './index.js';
import { TokenFormerLM } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'lm-load-'));
const ckpt = join(dir, 'run', 'checkpoints', '5');
let reference: TokenFormer;

beforeAll(async () => {
  await useBackend('cpu');
  const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
  trainer.feed('the quick brown fox jumps over the lazy dog, and the dog sleeps. '.repeat(30));
  const tokenizer = trainer.train();
  reference = new TokenFormer(createConfig({ vocabSize: 300, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 48 }), { seed: 9 });
  mkdirSync(join(dir, 'run'), { recursive: true });
  await saveCheckpoint(reference, ckpt, { extraFiles: { 'tokenizer.json': tokenizer.toString() } });
  writeFileSync(join(dir, 'run', 'latest'), 'checkpoints/5\n');
});
afterAll(() => {
  reference.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A fetch that serves files under `dir` at http://models.test/. */
const fakeFetch = (async (url: string | URL) => {
  const path = new URL(String(url)).pathname;
  try {
    return new Response(readFileSync(join(dir, path)));
  } catch {
    return new Response('not found', { status: 404, statusText: 'Not Found' });
  }
}) as typeof fetch;

describe('TokenFormerLM.load, generate and score', () => {
  it('generates from a checkpoint directory what the model generates for the same prompt ids and options', async () => {
    const lm = await TokenFormerLM.load(ckpt);
    const options = { maxNewTokens: 10, temperature: 0.8, topK: 30, seed: 3 };
    const g = await lm.generate('the quick', options);
    const promptIds = lm.tokenizer.encodeIds('the quick', { addSpecialTokens: false });
    expect(g.promptIds).toEqual(promptIds);
    expect(g.ids).toEqual(await reference.generate(promptIds, { ...options, stop: [lm.tokenizer.tokenToId('<|endoftext|>')!] }));
    expect(g.text).toBe(lm.tokenizer.decode(g.ids));
    lm.dispose();
  });

  it('loads a run directory (its latest checkpoint) and a URL alike, and leaks nothing', async () => {
    const leaked = await tensorsLeakedBy(async () => {
      const fromRun = await TokenFormerLM.load(join(dir, 'run'));
      const fromUrl = await BrowserLM.load('http://models.test/run/checkpoints/5/', { fetch: fakeFetch });
      const greedy = { maxNewTokens: 8, temperature: 0 };
      expect((await fromUrl.generate('the lazy', greedy)).ids).toEqual((await fromRun.generate('the lazy', greedy)).ids);
      fromRun.dispose();
      fromUrl.dispose();
    });
    expect(leaked).toBe(0);
  });

  it('scores texts as the rolling-window perplexity does', async () => {
    const lm = await TokenFormerLM.load(ckpt);
    const texts = ['the dog sleeps', 'the quick brown fox jumps over the lazy dog'];
    const scores = await lm.score(texts);
    for (const [i, t] of texts.entries()) {
      const p = await textPerplexity(lm, [t]);
      expect(scores[i]!.tokens).toBe(p.tokens);
      expect(scores[i]!.logprob).toBeCloseTo(p.loglikelihood, 10);
      expect(scores[i]!.perplexity).toBeCloseTo(p.tokenPerplexity, 8);
    }
    await expect(lm.score(['ok', ''])).rejects.toThrow(/text 1 has no tokens/);
    lm.dispose();
  });

  it('says what is wrong: no checkpoint, no tokenizer, a path in the browser entry, an unknown stop token', async () => {
    await expect(TokenFormerLM.load(join(dir, 'nowhere'))).rejects.toThrow(/no such checkpoint directory/);
    await expect(TokenFormerLM.load(dir)).rejects.toThrow(/neither config.json .* nor latest/);
    await expect(TokenFormerLM.load(ckpt, { tokenizer: join(dir, 'missing.json') })).rejects.toThrow(/no tokenizer/);
    await expect(BrowserLM.load(ckpt)).rejects.toThrow(EvaluatorError);
    await expect(BrowserLM.load('http://models.test/nothing/', { fetch: fakeFetch })).rejects.toThrow(/404/);
    const lm = await TokenFormerLM.load(fileURLToPath(new URL(`file://${ckpt}`)));
    await expect(lm.generate('the', { stop: ['<|nope|>'] })).rejects.toThrow(/stop token "<\|nope\|>"/);
    await expect(lm.generate('')).rejects.toThrow(/prompt is empty/);
    lm.dispose();
  });
});
