// The growth experiment's bookkeeping: compute summed step by step at the parameter count of each
// step (a growth changes it after its step), and the crossings read off a validation curve.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countParams, createConfig, TokenFormer } from '@tokenformer/model';
import { useBackend } from '@tokenformer/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { computeToReach, flopsPerToken, lossAtCompute, runCurve, spread } from './curves.js';

const dir = mkdtempSync(join(tmpdir(), 'curves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the experiment\'s compute and curves', () => {
  it('counts parameters from a config (model\'s countParams, which the compute uses) as the model does', async () => {
    await useBackend('cpu');
    const config = createConfig({ vocabSize: 128, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 3, projSlotNum: 5, ffnSlotNum: 7, maxSeqLen: 16 });
    const model = new TokenFormer(config, { seed: 1 });
    expect(countParams(config)).toBe(model.countParams());
    model.dispose();
  });

  it('sums compute at each step\'s parameter count, a growth changing it after its step', () => {
    const run = join(dir, 'run');
    mkdirSync(run);
    const rows = [
      { type: 'step', step: 1 }, { type: 'step', step: 2 }, { type: 'validation', step: 2, loss: 5 },
      { type: 'growth', step: 2, paramsBefore: 100, paramsAfter: 300 },
      { type: 'step', step: 3 }, { type: 'step', step: 4 }, { type: 'validation', step: 4, loss: 4 },
    ];
    writeFileSync(join(run, 'metrics.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const shape = { numLayers: 2, hiddenSize: 4 };
    const curve = runCurve(run, 100, shape as never, 8, 10, 7);
    const perStep = (n: number) => 10 * flopsPerToken(n, shape, 8);
    expect(flopsPerToken(100, shape, 8)).toBe(600 + 12 * 2 * 4 * 8);
    expect(curve).toEqual([
      { step: 2, loss: 5, flops: 7 + 2 * perStep(100) },
      { step: 4, loss: 4, flops: 7 + 2 * perStep(100) + 2 * perStep(300) },
    ]);
  });

  it('reads where a curve first reaches a loss, and its loss at a compute, linearly between points', () => {
    const curve = [{ step: 1, flops: 10, loss: 6 }, { step: 2, flops: 20, loss: 5 }, { step: 3, flops: 40, loss: 4.5 }, { step: 4, flops: 50, loss: 4.8 }];
    expect(computeToReach(curve, 5.5)).toBeCloseTo(15, 12);
    expect(computeToReach(curve, 4.75)).toBeCloseTo(30, 12);
    expect(computeToReach(curve, 6.5)).toBe(10);
    expect(computeToReach(curve, 4)).toBeNull();
    expect(lossAtCompute(curve, 30)).toBeCloseTo(4.75, 12);
    expect(lossAtCompute(curve, 10)).toBe(6);
    expect(lossAtCompute(curve, 60)).toBeNull();
    expect(spread([1, 2, 4])).toEqual({ mean: 7 / 3, halfRange: 1.5 });
  });
});
