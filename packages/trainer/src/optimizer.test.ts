// AdamW and gradient clipping against PyTorch's own (tools/fixtures/optimizer.json, written by
// tools/reference/make_optimizer_fixtures.py), and the learning-rate schedule against GPT-NeoX's.
import { describeEachBackend, expectAllClose, fixturePath, readJson, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';
import { ADAMW, hasKernel } from '@tokenformer/kernels';
import { clipByGlobalNorm } from './clip.js';
import { TrainerConfigError } from './errors.js';
import { learningRateSchedule } from './schedule.js';

interface Fixture {
  adamw: {
    betas: [number, number];
    eps: number;
    weightDecay: Record<string, number>;
    shapes: Record<string, number[]>;
    initial: Record<string, number[]>;
    steps: { lr: number; grads: Record<string, number[]>; params: Record<string, number[]> }[];
  };
  clip: { maxNorm: number; grads: Record<string, number[]>; shapes: Record<string, number[]>; totalNorm: number; clipped: Record<string, number[]> };
}

const fixture = readJson<Fixture>(fixturePath('optimizer.json'));

describeEachBackend('AdamW and clipping vs PyTorch', (backend) => {
  beforeAll(() => useBackend(backend));

  it('six AdamW steps (decay and no-decay parameters, changing lr) match torch.optim.AdamW', async () => {
    const f = fixture.adamw;
    const names = Object.keys(f.shapes);
    const vars = names.map((n) => tf.variable(tf.tensor(f.initial[n]!, f.shapes[n]!), true));
    const opt = new AdamW(
      names.map((name, i) => ({ name, variable: vars[i]!, weightDecay: f.weightDecay[name]! })),
      { beta1: f.betas[0], beta2: f.betas[1], eps: f.eps },
    );
    for (const step of f.steps) {
      const grads = new Map(names.map((n) => [n, tf.tensor(step.grads[n]!, f.shapes[n]!)] as const));
      const { kernels } = await tf.profile(() => opt.apply(grads, step.lr));
      // our fused kernel where the backend has it (webgpu), the composed ops elsewhere
      expect(kernels.some((k) => k.name === ADAMW)).toBe(hasKernel(ADAMW));
      tf.dispose([...grads.values()]);
      for (const [i, n] of names.entries()) expectAllClose(await vars[i]!.data(), Float32Array.from(step.params[n]!), 1e-6, 1e-6);
    }
    expect(opt.step).toBe(6);
    // state round trip
    const state = opt.state();
    const again = new AdamW(names.map((name, i) => ({ name, variable: vars[i]!, weightDecay: 0 })));
    again.loadState(state);
    expect(again.step).toBe(6);
    const back = again.state();
    for (const [k, t] of state.moments) expect(await back.moments.get(k)!.data(), k).toEqual(await t.data());
    expect(() => again.loadState({ step: 1, moments: new Map() })).toThrow(/decay\.exp_avg is missing/);
    const stray = tf.scalar(0);
    expect(() => again.loadState({ step: 1, moments: new Map([['nope.exp_avg', stray], ...state.moments]) })).toThrow(/nope\.exp_avg is not a moment/);
    tf.dispose([stray, ...state.moments.values(), ...back.moments.values()]);
    again.dispose();
    opt.dispose();
    tf.dispose(vars);
  });

  it('global-norm clipping matches torch.nn.utils.clip_grad_norm_, and leaks nothing', async () => {
    const c = fixture.clip;
    const grads = new Map(Object.keys(c.shapes).map((k) => [k, tf.tensor(c.grads[k]!, c.shapes[k]!)] as const));
    const { norm, grads: clipped } = await clipByGlobalNorm(grads, c.maxNorm);
    expect(norm).toBeCloseTo(c.totalNorm, 5);
    for (const k of grads.keys()) expectAllClose(await clipped.get(k)!.data(), Float32Array.from(c.clipped[k]!), 1e-6, 1e-6);
    tf.dispose([...clipped.values(), ...grads.values()]);
    const leaked = await tensorsLeakedBy(async () => {
      const g = new Map([['x', tf.ones([3])]]);
      const r = await clipByGlobalNorm(g, 0.5);
      tf.dispose([...g.values(), ...r.grads.values()]);
    });
    expect(leaked).toBe(0);
  });

  it('takes the global norm of more gradients than one WebGPU shader can bind (20)', async () => {
    const grads = new Map(Array.from({ length: 20 }, (_, i) => [`g${i}`, tf.fill([3], i + 1)] as const));
    const expected = Math.sqrt(3 * Array.from({ length: 20 }, (_, i) => (i + 1) ** 2).reduce((a, b) => a + b, 0));
    const { norm, grads: clipped } = await clipByGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(expected, 3);
    expectAllClose(await clipped.get('g19')!.data(), new Float32Array(3).fill(20 / (expected + 1e-6)), 1e-6, 1e-6);
    tf.dispose([...clipped.values(), ...grads.values()]);
  });
});

describe('learning-rate schedule (GPT-NeoX AnnealingLR)', () => {
  const official = learningRateSchedule({ maxLr: 6e-4, minLr: 6e-5, warmupSteps: 1430, decaySteps: 143000 });
  it('warms up linearly from 0, decays by a cosine to the floor', () => {
    expect(official(0)).toBe(0);
    expect(official(715)).toBeCloseTo(3e-4, 12);
    expect(official(1430)).toBeCloseTo(6e-4, 12);
    expect(official(1430 + (143000 - 1430) / 2)).toBeCloseTo((6e-4 + 6e-5) / 2, 12);
    expect(official(143000)).toBeCloseTo(6e-5, 12);
    expect(official(200000)).toBeCloseTo(6e-5, 12); // never below the floor
    for (let s = 1431; s < 143000; s += 997) expect(official(s + 1)).toBeLessThanOrEqual(official(s));
  });
  it('linear and constant styles', () => {
    const linear = learningRateSchedule({ maxLr: 1, warmupSteps: 10, decaySteps: 110, style: 'linear' });
    expect(linear(60)).toBeCloseTo(0.5, 12);
    expect(linear(110)).toBe(0);
    const constant = learningRateSchedule({ maxLr: 0.1, warmupSteps: 4, decaySteps: 100, style: 'constant' });
    expect(constant(2)).toBeCloseTo(0.05, 12);
    expect(constant(50)).toBe(0.1);
  });
  it('refuses bad settings with the value and the limit', () => {
    expect(() => learningRateSchedule({ maxLr: 0, decaySteps: 10 })).toThrow(TrainerConfigError);
    expect(() => learningRateSchedule({ maxLr: 1, minLr: 2, decaySteps: 10 })).toThrow(/minLr = 2 must be in \[0, maxLr = 1\]/);
    expect(() => learningRateSchedule({ maxLr: 1, warmupSteps: 10, decaySteps: 10 })).toThrow(/decaySteps = 10 must be an integer > warmupSteps = 10/);
  });
});
