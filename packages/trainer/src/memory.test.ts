import { tf, useBackend, webgpuStatus } from '@tokenformer/testing';
import { checkFitsBackend, preset, TokenFormer } from '@tokenformer/model';
import { activeBackendTraits } from '@tokenformer/kernels';
import { registerWebGpuLimits } from '@tokenformer/kernels/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainerConfigError } from './errors.js';
import { WASM_HEAP_BYTES } from '@tokenformer/kernels/wasm';
import { checkTrainingFits, trainingMemory } from './memory.js';
import { TrainStep, type TokenBatch } from './trainStep.js';

function batch(rows: number, seq: number, vocab: number): TokenBatch {
  return { data: Int32Array.from({ length: rows * (seq + 1) }, (_, i) => (i * 7919) % vocab), shape: [rows, seq + 1] };
}

describe('training memory on wasm', () => {
  beforeAll(() => useBackend('wasm'));
  afterAll(() => useBackend('cpu'));

  // the estimate against tf.profile's measured peak of a whole step (weights and moments included)
  for (const [name, rows, seq] of [['small', 2, 128], ['bench', 1, 128]] as const) {
    it(`estimates the peak of a ${name} step on ${rows} x ${seq} tokens within -10% / +20%`, async () => {
      const model = new TokenFormer(preset(name), { seed: 1 });
      const step = new TrainStep(model);
      const b = batch(rows, seq, model.config.vocabSize);
      await step.run([b], 1e-3); // the moments exist from here on
      const { peakBytes: measured } = await tf.profile(async () => void (await step.run([b], 1e-3)));
      const { totalBytes } = trainingMemory(model.config, rows, seq);
      const ratio = totalBytes / measured;
      console.info(`${name} ${rows}x${seq}: estimate ${(totalBytes / 1e6).toFixed(0)} MB, measured peak ${(measured / 1e6).toFixed(0)} MB (${ratio.toFixed(2)})`);
      expect(ratio).toBeGreaterThan(0.9);
      expect(ratio).toBeLessThan(1.2);
      step.dispose();
      model.dispose();
    });
  }

  it('refuses a step over the heap before allocating, naming the sizes and how many rows fit', async () => {
    const model = new TokenFormer(preset('bench'), { seed: 1 });
    const step = new TrainStep(model);
    const before = tf.memory().numTensors;
    const err = await step.run([batch(32, 256, 4096)], 1e-3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerConfigError);
    expect((err as Error).message).toMatch(/micro-batches of 32 x 256 tokens needs about \d+\.\d\d GB .* over the 4\.20 GB it can use: use at most 1[5-7] rows per micro-batch/);
    expect(tf.memory().numTensors).toBe(before);
    expect(trainingMemory(model.config, 32, 256).totalBytes).toBeGreaterThan(WASM_HEAP_BYTES);
    step.dispose();
    model.dispose();
  });

  it('checks nothing on other backends', async () => {
    await useBackend('cpu');
    expect(() => checkTrainingFits(preset('bench'), 64, 256)).not.toThrow();
    await useBackend('wasm');
    expect(() => checkTrainingFits(preset('bench'), 64, 256)).toThrow(TrainerConfigError);
  });
});

describe.skipIf(!webgpuStatus.available)(`training memory on webgpu${webgpuStatus.available ? '' : ` (skipped: ${webgpuStatus.reason})`}`, () => {
  afterAll(() => useBackend('cpu'));

  it('refuses logits past the device\'s buffer limit before allocating, and a model whose embedding is past it', async () => {
    await useBackend('webgpu');
    const limit = registerWebGpuLimits()!;
    expect(activeBackendTraits().maxTensorBytes).toBe(limit);
    const seq = 2048;
    const rows = Math.ceil(limit / (4 * seq * 50304)) + 1;
    expect(() => checkTrainingFits(preset('tokenformer-150m'), rows, seq)).toThrow(new RegExp(`micro-batches of ${rows} x 2048 tokens makes logits of \\d+ MiB \\[\\d+, 50304\\], over the ${Math.round(limit / 2 ** 20)} MiB one buffer can hold on this webgpu device: use at most ${rows - 2} rows`));
    expect(() => checkTrainingFits(preset('tokenformer-150m'), 1, seq)).not.toThrow();
    const hidden = Math.ceil(limit / (4 * 50304) / 64) * 64 + 64;
    expect(() => checkFitsBackend(preset('tokenformer-150m', { hiddenSize: hidden, numAttentionHeads: hidden / 64 }))).toThrow(/the word embedding \[50304, \d+\] takes \d+ MiB in one tensor, over the \d+ MiB one buffer can hold/);
  });
});

