import { describeEachBackend, expectAllClose, fixturePath, randn, readF32Safetensors, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { PattentionConfigError, PattentionShapeError, pattention, type NormActivationType } from './index.js';
import { norm64, pattention64, toRows } from './reference.test-helper.js';

const NORMS: NormActivationType[] = ['l2_norm_gelu', 'gelu_l2_norm', 'softmax'];
const fixture = readF32Safetensors(fixturePath('pattention.safetensors'));
const get = (name: string) => fixture.get(name)!;

describeEachBackend('pattention', (backend) => {
  beforeAll(() => useBackend(backend));

  for (const norm of NORMS) {
    for (const [tauName, tau] of [['default', null], ['pinned', 1.7]] as const) {
      it(`${norm}, tau ${tauName}: output and gradients match the PyTorch reference`, async () => {
        const x = tf.tensor2d(get('x').data, get('x').shape as [number, number]);
        const k = tf.tensor2d(get('keyParamTokens').data, get('keyParamTokens').shape as [number, number]);
        const v = tf.tensor2d(get('valueParamTokens').data, get('valueParamTokens').shape as [number, number]);
        const up = tf.tensor2d(get('upstream').data, get('upstream').shape as [number, number]);
        const opts = { normActivationType: norm, tau };
        const out = pattention(x, k, v, opts);
        expectAllClose((await out.data()), get(`${norm}.${tauName}.out`).data, 1e-5, 1e-5);
        const grads = tf.grads((a, b, c) => tf.sum(tf.mul(pattention(a, b as tf.Tensor2D, c as tf.Tensor2D, opts), up)));
        const [dx, dk, dv] = grads([x, k, v]);
        expectAllClose((await dx!.data()), get(`${norm}.${tauName}.dx`).data, 1e-4, 1e-5);
        expectAllClose((await dk!.data()), get(`${norm}.${tauName}.dKey`).data, 1e-4, 1e-5);
        expectAllClose((await dv!.data()), get(`${norm}.${tauName}.dValue`).data, 1e-4, 1e-5);
        tf.dispose([x, k, v, up, out, dx!, dk!, dv!]);
      });
    }

    it(`${norm}: gradient with respect to the scores matches finite differences of a float64 reference`, async () => {
      const M = 3;
      const n = 6;
      const scores = randn(M * n, 11, 1.3);
      const upstream = randn(M * n, 12);
      // Loss L(s) = Σ Θ(s) ⊙ upstream; central differences on the float64 reference.
      const loss64 = (s: number[][]) =>
        norm64(s, norm).reduce((acc, row, i) => acc + row.reduce((a, val, j) => a + val * upstream[i * n + j]!, 0), 0);
      const base = toRows(scores, M, n);
      const h = 1e-6;
      const fd = new Float64Array(M * n);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < n; j++) {
          const plus = base.map((r) => [...r]);
          const minus = base.map((r) => [...r]);
          plus[i]![j]! += h;
          minus[i]![j]! -= h;
          fd[i * n + j] = (loss64(plus) - loss64(minus)) / (2 * h);
        }
      }
      // The gradient of Pattention with respect to x, through identity keys, equals the score gradient.
      const x = tf.tensor2d(scores, [M, n]);
      const eye = tf.eye(n) as tf.Tensor2D;
      const up = tf.tensor2d(upstream, [M, n]);
      const g = tf.grad((s) => tf.sum(tf.mul(pattention(s, eye, eye, { normActivationType: norm }), up)))(x);
      expectAllClose((await g.data()), fd, 2e-4, 2e-5);
      tf.dispose([x, eye, up, g]);
    });
  }

  it('matches the float64 reference on a batch with leading dimensions [2, 3, d]', async () => {
    const x = randn(2 * 3 * 5, 21);
    const k = randn(4 * 5, 22, 0.7);
    const v = randn(4 * 3, 23);
    const result = tf.tidy(() => pattention(tf.tensor3d(x, [2, 3, 5]), tf.tensor2d(k, [4, 5]), tf.tensor2d(v, [4, 3])));
    const out = (await result.array()) as number[][][];
    result.dispose();
    const expected = pattention64(toRows(x, 6, 5), toRows(k, 4, 5), toRows(v, 4, 3), 'l2_norm_gelu');
    expect(out.length).toBe(2);
    expectAllClose(out.flat(2), expected.flat(), 1e-5, 1e-5);
  });

  it('defines an all-zero score row as a zero output with a zero gradient (the official code gives NaN)', async () => {
    for (const norm of ['l2_norm_gelu', 'gelu_l2_norm'] as const) {
      const x = tf.tensor2d([[0, 0, 0], [1, 2, 3]]);
      const k = tf.tensor2d(randn(4 * 3, 5), [4, 3]);
      const v = tf.tensor2d(randn(4 * 2, 6), [4, 2]);
      const out = pattention(x, k, v, { normActivationType: norm });
      const data = (await out.data());
      expect(Array.from(data.slice(0, 2))).toEqual([0, 0]);
      expect(data.every(Number.isFinite)).toBe(true);
      const [dx, dk] = tf.grads((a, b) => tf.sum(pattention(a, b as tf.Tensor2D, v, { normActivationType: norm })))([x, k]);
      expect(Array.from((await dx!.data()).slice(0, 3))).toEqual([0, 0, 0]);
      expect((await dk!.data()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, k, v, out, dx!, dk!]);
    }
  });

  it('a pinned tau equal to sqrt(n) gives the default result; another tau changes it', async () => {
    const x = tf.tensor2d(randn(8, 31), [2, 4]);
    const k = tf.tensor2d(randn(16, 32), [4, 4]);
    const v = tf.tensor2d(randn(12, 33), [4, 3]);
    const a = pattention(x, k, v);
    const b = pattention(x, k, v, { tau: 2 });
    const c = pattention(x, k, v, { tau: 3 });
    expectAllClose((await b.data()), (await a.data()), 0, 0);
    const diff = tf.abs(tf.sub(c, a));
    expect(Math.max(...Array.from(await diff.data()))).toBeGreaterThan(1e-3);
    tf.dispose([x, k, v, a, b, c, diff]);
  });

  it('zero key tokens appended with tau pinned at the old sqrt(n) leave l2_norm_gelu unchanged (paper App. B)', async () => {
    const n = 6;
    const x = tf.tensor2d(randn(5 * 8, 51), [5, 8]);
    const k = tf.tensor2d(randn(n * 8, 52, 0.5), [n, 8]);
    const v = tf.tensor2d(randn(n * 4, 53), [n, 4]);
    const kGrown = tf.concat([k, tf.zeros([3, 8])]) as tf.Tensor2D;
    const vGrown = tf.concat([v, tf.tensor2d(randn(3 * 4, 54), [3, 4])]) as tf.Tensor2D;
    const before = pattention(x, k, v);
    const exact = pattention(x, kGrown, vGrown, { tau: Math.sqrt(n) });
    const official = pattention(x, kGrown, vGrown);
    expectAllClose(await exact.data(), await before.data(), 1e-6, 1e-7);
    const drift = tf.max(tf.abs(tf.sub(official, before)));
    expect((await drift.data())[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, k, v, kGrown, vGrown, before, exact, official, drift]);
  });

  it('leaks no tensors in forward or backward', async () => {
    const x = tf.tensor2d(randn(20, 41), [4, 5]);
    const k = tf.tensor2d(randn(30, 42), [6, 5]);
    const v = tf.tensor2d(randn(18, 43), [6, 3]);
    for (const norm of NORMS) {
      expect(await tensorsLeakedBy(() => pattention(x, k, v, { normActivationType: norm }).dispose())).toBe(0);
      expect(
        await tensorsLeakedBy(() => {
          const gs = tf.grads((a, b, c) => tf.sum(pattention(a, b as tf.Tensor2D, c as tf.Tensor2D, { normActivationType: norm })))([x, k, v]);
          tf.dispose(gs);
        }),
      ).toBe(0);
    }
    tf.dispose([x, k, v]);
  });

  it('rejects mismatched shapes and bad options with typed errors', async () => {
    const x = tf.zeros([2, 5]);
    const k = tf.zeros([4, 6]) as tf.Tensor2D;
    const k5 = tf.zeros([4, 5]) as tf.Tensor2D;
    const v = tf.zeros([3, 2]) as tf.Tensor2D;
    const v4 = tf.zeros([4, 2]) as tf.Tensor2D;
    expect(() => pattention(x, k, v4)).toThrow(PattentionShapeError);
    expect(() => pattention(x, k5, v)).toThrow(/4 key parameter tokens but 3 value/);
    expect(() => pattention(x, k5, v4, { tau: -1 })).toThrow(PattentionConfigError);
    expect(() => pattention(x, k5, v4, { normActivationType: 'relu' as NormActivationType })).toThrow(/normActivationType must be one of/);
    tf.dispose([x, k, k5, v, v4]);
  });
});
