import { describeEachBackend, expectAllClose, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationError, InputError, KVCache, TokenFormer, createConfig, mulberry32, preset, sampleToken } from './index.js';

const config = createConfig({
  vocabSize: 97, hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 24, projSlotNum: 16, ffnSlotNum: 48, maxSeqLen: 40,
});

describeEachBackend('generation', (backend) => {
  let model: TokenFormer;
  beforeAll(async () => {
    await useBackend(backend);
    model = new TokenFormer(config, { seed: 3 });
  });
  afterAll(() => model.dispose());

  // SwiftShader (software WebGPU) compiles a shader per new shape, and every decoding step has one.
  const steps = backend === 'webgpu' ? 6 : 12;

  it('cached and uncached decoding give the same tokens and logits within 1e-5', async () => {
    const prompt = [5, 17, 3, 99, 42, 8];
    for (const options of [{ temperature: 0 }, { temperature: 0.9, topK: 20, topP: 0.9, seed: 11 }]) {
      const cachedLogits: Float32Array[] = [];
      const plainLogits: Float32Array[] = [];
      const cached = await model.generate(prompt, { ...options, maxNewTokens: steps, onToken: (_, l) => cachedLogits.push(l) });
      const plain = await model.generate(prompt, { ...options, maxNewTokens: steps, useCache: false, onToken: (_, l) => plainLogits.push(l) });
      expect(cached).toEqual(plain);
      expect(cached).toHaveLength(steps);
      cachedLogits.forEach((l, i) => expectAllClose(l, plainLogits[i]!, 0, 1e-5));
    }
  });

  it('the KV cache reproduces a full forward pass position by position', async () => {
    const ids = [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15, 16]];
    const full = model.forward(ids);
    const cache = new KVCache(config.numLayers);
    const first = model.forward(ids.map((r) => r.slice(0, 5)), { cache });
    const rest = [5, 6, 7].map((t) => model.forward(ids.map((r) => [r[t]!]), { cache }));
    const stitched = tf.concat([first, ...rest], 1);
    expect(cache.length).toBe(8);
    expectAllClose((await stitched.data()), (await full.data()), 0, 1e-5);
    cache.dispose();
    tf.dispose([full, first, ...rest, stitched]);
  });

  it('the same seed gives the same sample; stop ids end generation and are not returned', async () => {
    const prompt = [4, 4, 4];
    const a = await model.generate(prompt, { maxNewTokens: steps, temperature: 1.5, seed: 99 });
    const b = await model.generate(prompt, { maxNewTokens: steps, temperature: 1.5, seed: 99 });
    expect(a).toEqual(b);
    const stopAt = a[3]!;
    const firstStop = a.indexOf(stopAt);
    const stopped = await model.generate(prompt, { maxNewTokens: steps, temperature: 1.5, seed: 99, stop: [stopAt] });
    expect(stopped).toEqual(a.slice(0, firstStop));
  });

  it('leaks no tensors in forward, loss + gradients, and generate', async () => {
    const ids = [[1, 2, 3, 4, 5]];
    expect(await tensorsLeakedBy(() => model.forward(ids).dispose())).toBe(0);
    expect(
      await tensorsLeakedBy(() => {
        const { value, grads } = tf.variableGrads(() => model.loss(ids), model.trainableVariables());
        tf.dispose([value, ...Object.values(grads)]);
      }),
    ).toBe(0);
    expect(await tensorsLeakedBy(() => model.generate([1, 2], { maxNewTokens: 5, seed: 1 }))).toBe(0);
    expect(await tensorsLeakedBy(() => model.generate([1, 2], { maxNewTokens: 5, seed: 1, useCache: false }))).toBe(0);
  });

  it('a model that decoded leaves nothing behind once disposed (its decoding copy of the embeddings included)', async () => {
    const leaked = await tensorsLeakedBy(async () => {
      const m = new TokenFormer(config, { seed: 4 });
      await m.generate([1, 2], { maxNewTokens: 2, temperature: 0 });
      m.dispose();
    });
    expect(leaked).toBe(0);
  });

  it('rejects bad options and too-long sequences with typed errors naming the values', async () => {
    await expect(model.generate([1, 2], { maxNewTokens: 39 })).rejects.toThrow(/2 tokens \+ maxNewTokens 39 = 41 exceeds maxSeqLen 40/);
    await expect(model.generate([1, 2], { topP: 0 })).rejects.toThrow(GenerationError);
    await expect(model.generate([1, 2], { temperature: -1 })).rejects.toThrow(/temperature must be a finite number >= 0, got -1/);
    await expect(model.generate([128])).rejects.toThrow(/prompt id 128 at 0 is outside the vocabulary \[0, 128\)/);
    await expect(model.generate([])).rejects.toThrow(/at least one token/);
    expect(() => model.forward([Array.from({ length: 41 }, () => 1)])).toThrow(/Cannot forward 41 tokens after 0 cached ones: maxSeqLen is only 40/);
    expect(() => model.forward([[1, 2], [3]])).toThrow(InputError);
    expect(() => model.forward([[1, -1]])).toThrow(/id -1 at \[0, 1\]/);
    const floatIds = tf.tensor2d([[1, 2]]);
    expect(() => model.forward(floatIds)).toThrow(/int32 tensor/);
    floatIds.dispose();
  });
});

describe('models too large for the wasm heap', () => {
  it('are refused before any allocation, naming the size and the limit', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    expect(() => new TokenFormer(preset('tokenformer-900m'))).toThrow(/3.61 GB, over the 2.5 GB the wasm backend can hold/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sampleToken', () => {
  const logits = Float32Array.from([1, 3, 2, 3, 0]);

  it('temperature 0 is argmax with the lowest id on ties', async () => {
    expect(sampleToken(logits, { temperature: 0, topK: 0, topP: 1 }, Math.random)).toBe(1);
  });

  it('top-k keeps the k best (and ties with the k-th); top-p keeps the smallest mass >= p', async () => {
    const seen = (opts: { topK: number; topP: number }) => {
      const rand = mulberry32(5);
      const s = new Set<number>();
      for (let i = 0; i < 2000; i++) s.add(sampleToken(logits, { temperature: 1, ...opts }, rand));
      return [...s].sort();
    };
    expect(seen({ topK: 1, topP: 1 })).toEqual([1, 3]);
    expect(seen({ topK: 3, topP: 1 })).toEqual([1, 2, 3]);
    // softmax([1,3,2,3,0]): p(1)=p(3)=0.3995, p(2)=0.147, p(0)=0.054, p(4)=0.0199
    expect(seen({ topK: 0, topP: 0.5 })).toEqual([1, 3]);
    expect(seen({ topK: 0, topP: 0.9 })).toEqual([1, 2, 3]);
    expect(seen({ topK: 0, topP: 1 })).toEqual([0, 1, 2, 3, 4]);
  });

  it('draws in proportion to softmax(logits / T)', async () => {
    const rand = mulberry32(123);
    const counts = new Array<number>(5).fill(0);
    const N = 20000;
    for (let i = 0; i < N; i++) counts[sampleToken(logits, { temperature: 2, topK: 0, topP: 1 }, rand)]!++;
    const w = Array.from(logits, (l) => Math.exp(l / 2));
    const z = w.reduce((a, b) => a + b, 0);
    counts.forEach((c, i) => expect(Math.abs(c / N - w[i]! / z)).toBeLessThan(0.015));
  });
});
