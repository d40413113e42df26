// TokenFormerLM against a separate code path: the model's own per-token cross-entropy
// (`tokenLosses`, softmax in the loss code) on sequences built by hand, with the real GPT-NeoX-20B
// tokenizer.
import { readFileSync } from 'node:fs';
import { tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { Tokenizer } from '@tokenformer/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFormerLM, buildCloze, textPerplexity, tokenPerplexity } from './index.js';

let model: TokenFormer;
let tokenizer: Tokenizer;
const EOT = 0;

/** −Σ cross-entropy of `targets` positions, from the model's loss code on `ids` (no truncation). */
async function reference(ids: number[], scored: number): Promise<number> {
  const losses = model.tokenLosses([ids]); // [1, T-1]: loss of ids[t+1] given ids[..t]
  const all = Array.from(await losses.data());
  losses.dispose();
  return -all.slice(all.length - scored).reduce((a, b) => a + b, 0);
}

beforeAll(async () => {
  await useBackend('cpu');
  tokenizer = Tokenizer.fromJSON(readFileSync(npmAsset(NEOX_20B_TOKENIZER), 'utf8'));
  model = new TokenFormer(createConfig({ vocabSize: 50277, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 32 }), { seed: 5 });
});
afterAll(() => model.dispose());

describe('TokenFormerLM (the harness model interface)', () => {
  it('encodePair moves the context\'s trailing whitespace into the continuation and splits the whole encoding', () => {
    const lm = new TokenFormerLM(model, tokenizer);
    const pair = lm.encodePair('Question: what is it?\nAnswer: ', 'a cat');
    expect(tokenizer.decode(pair.context)).toBe('Question: what is it?\nAnswer:');
    const whole = tokenizer.encodeIds('Question: what is it?\nAnswer: a cat');
    expect([...pair.context, ...pair.continuation]).toEqual(whole);
    expect(tokenizer.decode(pair.continuation)).toBe(' a cat');
  });

  it('loglikelihood equals the model\'s own token losses, and isGreedy the argmax', async () => {
    const lm = new TokenFormerLM(model, tokenizer, { batchSize: 3 });
    const requests = [
      { context: 'The quick brown fox', continuation: ' jumps' },
      { context: 'Hello', continuation: ' world, again and again' },
      { context: '', continuation: 'Starting fresh' },
    ];
    const got = await lm.loglikelihood(requests);
    for (const [i, { context, continuation }] of requests.entries()) {
      const ctx = context === '' ? [EOT] : tokenizer.encodeIds(context);
      const cont = context === '' ? tokenizer.encodeIds(continuation) : tokenizer.encodeIds(context + continuation).slice(ctx.length);
      expect(got[i]!.logprob).toBeCloseTo(await reference([...ctx, ...cont], cont.length), 4);
      const logits = model.forward([[...ctx, ...cont]]);
      const argmax = tf.argMax(logits, -1);
      const best = Array.from(await argmax.data()).slice(ctx.length - 1, ctx.length - 1 + cont.length);
      tf.dispose([logits, argmax]);
      expect(got[i]!.isGreedy).toBe(best.every((b, k) => b === cont[k]));
    }
  });

  it('a greedy continuation is reported as greedy', async () => {
    const lm = new TokenFormerLM(model, tokenizer);
    const prompt = tokenizer.encodeIds('Once upon a time');
    const next = await model.generate(prompt, { maxNewTokens: 3, temperature: 0 });
    const [r] = await lm.loglikelihoodTokens([{ context: prompt, continuation: next }]);
    expect(r!.isGreedy).toBe(true);
  });

  it('inputs longer than maxLength + 1 lose tokens on the left, as the harness truncates', async () => {
    const lm = new TokenFormerLM(model, tokenizer, { maxLength: 12 });
    const context = tokenizer.encodeIds('one two three four five six seven eight nine ten eleven twelve thirteen');
    const continuation = tokenizer.encodeIds(' fourteen fifteen');
    const [r] = await lm.loglikelihoodTokens([{ context, continuation }]);
    const all = [...context, ...continuation];
    expect(r!.logprob).toBeCloseTo(await reference(all.slice(-13), continuation.length), 4);
  });

  it('rolling perplexity equals full-context scoring when the text fits one window', async () => {
    const lm = new TokenFormerLM(model, tokenizer);
    const text = 'A short page of text.';
    const [ll] = await lm.loglikelihoodRolling([text]);
    const ids = tokenizer.encodeIds(text);
    expect(ll).toBeCloseTo(await reference([EOT, ...ids], ids.length), 4);
  });

  it('rolling windows beyond maxLength: each window scored with one token of context (the harness arithmetic)', async () => {
    const lm = new TokenFormerLM(model, tokenizer, { maxLength: 8 });
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.';
    const ids = tokenizer.encodeIds(text);
    expect(ids.length).toBeGreaterThan(16);
    const [ll] = await lm.loglikelihoodRolling([text]);
    // Window 1: [EOT, t0..t6] predicts t0..t7; then windows of 8 predictions, each reading the
    // 8 tokens before its last prediction (its context is what precedes the predicted span).
    let expected = await reference([EOT, ...ids.slice(0, 8)], 8);
    for (let start = 8; start < ids.length; start += 8) {
      const end = Math.min(start + 8, ids.length);
      const window = ids.slice(Math.max(0, end - 9), end); // 9 tokens: 8 inputs, 8 targets
      expected += await reference(window, end - start);
    }
    expect(ll).toBeCloseTo(expected, 4);
  });

  it('batched and unbatched scoring give the same numbers', async () => {
    const texts = ['a', 'The cat sat on the mat.', 'Numbers: 1, 2, 3, 4, 5, 6, 7', 'Short', 'Another, longer sentence with more tokens in it.'];
    const requests = texts.flatMap((t) => [{ context: t, continuation: ' yes' }, { context: t, continuation: ' no, never' }]);
    const one = await new TokenFormerLM(model, tokenizer, { batchSize: 1 }).loglikelihood(requests);
    const many = await new TokenFormerLM(model, tokenizer, { batchSize: 4 }).loglikelihood(requests);
    for (let i = 0; i < one.length; i++) {
      expect(many[i]!.logprob).toBeCloseTo(one[i]!.logprob, 5);
      expect(many[i]!.isGreedy).toBe(one[i]!.isGreedy);
    }
  });

  it('generateUntil stops before a stop string; nothing leaks', async () => {
    const lm = new TokenFormerLM(model, tokenizer);
    const [free] = await lm.generateUntil([{ context: 'Once', until: [], maxGenToks: 6 }]);
    const stop = free!.slice(2, 4);
    const [cut] = await lm.generateUntil([{ context: 'Once', until: [stop], maxGenToks: 6 }]);
    expect(cut).toBe(free!.slice(0, free!.indexOf(stop)));
    expect(await tensorsLeakedBy(() => lm.loglikelihood([{ context: 'x', continuation: ' y' }]))).toBe(0);
    expect(await tensorsLeakedBy(() => lm.loglikelihoodRolling(['some text to roll over'])) ).toBe(0);
  });

  it('refuses bad options, naming the limit', () => {
    expect(() => new TokenFormerLM(model, tokenizer, { maxLength: 33 })).toThrow(/maxLength 33 must be an integer in \[1, 32\]/);
    expect(() => new TokenFormerLM(model, tokenizer, { batchSize: 0 })).toThrow(/batchSize 0/);
  });

  it('text and token-document perplexity: the rolling sums, counted per token, word and byte', async () => {
    const lm = new TokenFormerLM(model, tokenizer, { maxLength: 8, batchSize: 4 });
    const texts = ['The first held-out document, long enough for two windows of eight.', 'Naïve café.'];
    const r = await textPerplexity(lm, texts);
    const lls = await lm.loglikelihoodRolling(texts);
    const tokens = texts.map((t) => tokenizer.encodeIds(t).length).reduce((a, b) => a + b, 0);
    expect(r.loglikelihood).toBeCloseTo(lls[0]! + lls[1]!, 8);
    expect(r).toMatchObject({ documents: 2, tokens, words: 11 + 2, bytes: 66 + 13 }); // Python: len(re.split(r'\s+', t)), len(t.encode())
    expect(r.natsPerToken).toBeCloseTo(-r.loglikelihood / tokens, 12);
    expect(r.bitsPerByte).toBeCloseTo(-r.loglikelihood / 79 / Math.LN2, 12);
    const docs = await tokenPerplexity(lm, texts.map((t) => Int32Array.from(tokenizer.encodeIds(t))));
    expect(docs.loglikelihood).toBeCloseTo(r.loglikelihood, 8);
    expect(docs.bytes).toBe(79);
  });
});

describe('buildCloze', () => {
  it('passages ending a sentence, the last word without its punctuation, no overlap', () => {
    const text = 'one two three four. Five six seven eight nine ten. Go! eleven twelve thirteen fourteen fifteen sixteen.';
    // words 0..16; with 3 words of context: "four." (3), then from 7: "ten." (9), then from 13: "sixteen." (16)
    expect(buildCloze([text], { contextWords: 3 }).map((r) => r.text)).toEqual(['one two three four', 'seven eight nine ten', 'thirteen fourteen fifteen sixteen']);
    expect(buildCloze(['a b c Go!'], { contextWords: 3 })).toEqual([]); // "Go" is shorter than 3 letters
    expect(buildCloze([text], { contextWords: 3, maxItems: 1 })).toHaveLength(1);
  });
});
