import { describeEachBackend, expectAllClose, randn, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Pattention, PattentionConfigError, PattentionShapeError, pattention, wangInitStd } from './index.js';

function std(data: Float32Array): number {
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  return Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
}

describeEachBackend('Pattention layer', (backend) => {
  beforeAll(() => useBackend(backend));

  it('initialises keys N(0, 0.02) and values with wang_init, deterministically for a seed', async () => {
    const layer = new Pattention({ inputChannels: 64, outputChannels: 48, paramTokenNum: 256, seed: 5, valueInitStd: wangInitStd(12, 64) });
    const again = new Pattention({ inputChannels: 64, outputChannels: 48, paramTokenNum: 256, seed: 5, valueInitStd: wangInitStd(12, 64) });
    expect(layer.keyParamTokensT.shape).toEqual([64, 256]);
    expect(layer.valueParamTokens.shape).toEqual([256, 48]);
    expect(std((await layer.keyParamTokensT.data()) as Float32Array)).toBeCloseTo(0.02, 3);
    expect(std((await layer.valueParamTokens.data()) as Float32Array) / (2 / (12 * 8))).toBeCloseTo(1, 1);
    expect(Array.from((await again.keyParamTokensT.data()))).toEqual(Array.from((await layer.keyParamTokensT.data())));
    expect(layer.countParams()).toBe(256 * (64 + 48));
    expect(layer.computeOutputShape([3, 7, 64])).toEqual([3, 7, 48]);
    expect(layer.getConfig()).toEqual({ inputChannels: 64, outputChannels: 48, paramTokenNum: 256, normActivationType: 'l2_norm_gelu', tau: null });
    layer.dispose();
    again.dispose();
  });

  it('apply() equals the functional op on its tokens, and trains its variables', async () => {
    const keys = tf.tensor2d(randn(6 * 4, 1, 0.5), [6, 4]);
    const values = tf.tensor2d(randn(6 * 3, 2, 0.5), [6, 3]);
    const layer = new Pattention({ inputChannels: 4, outputChannels: 3, paramTokenNum: 6, keyParamTokens: keys, valueParamTokens: values, tau: 1.5 });
    const x = tf.tensor3d(randn(2 * 5 * 4, 3), [2, 5, 4]);
    const a = layer.apply(x);
    const b = pattention(x, keys, values, { tau: 1.5 });
    expectAllClose((await a.data()), (await b.data()), 1e-6, 1e-7);
    const official = layer.readKeyParamTokens();
    expect(Array.from((await official.data()))).toEqual(Array.from((await keys.data())));
    official.dispose();
    const target = tf.zerosLike(a);
    const loss = () => tf.mean(tf.square(tf.sub(layer.apply(x), target))) as tf.Scalar;
    const before = (await loss().data())[0]!;
    const opt = tf.train.sgd(0.5);
    for (let i = 0; i < 20; i++) opt.minimize(loss, true)?.dispose();
    expect((await loss().data())[0]!).toBeLessThan(before * 0.9);
    opt.dispose();
    const moved = layer.readKeyParamTokens();
    expect(Array.from((await moved.data()))).not.toEqual(Array.from((await keys.data())));
    tf.dispose([keys, values, x, a, b, target, moved]);
    layer.dispose();
  });

  it('dispose() frees both variables; building and applying leaks nothing', async () => {
    const leaked = await tensorsLeakedBy(() => {
      const layer = new Pattention({ inputChannels: 8, outputChannels: 8, paramTokenNum: 16, seed: 1 });
      const x = tf.ones([2, 8]);
      layer.apply(x).dispose();
      x.dispose();
      layer.dispose();
    });
    expect(leaked).toBe(0);
  });
});

describe('Pattention layer arguments', () => {
  it('rejects bad sizes, norms, tau and initial tokens with typed errors naming the value', async () => {
    expect(() => new Pattention({ inputChannels: 0, outputChannels: 4, paramTokenNum: 4 })).toThrow(/inputChannels must be an integer >= 1, got 0/);
    expect(() => new Pattention({ inputChannels: 4, outputChannels: 4, paramTokenNum: 2.5 })).toThrow(PattentionConfigError);
    expect(() => new Pattention({ inputChannels: 4, outputChannels: 4, paramTokenNum: 4, tau: 0 })).toThrow(/tau must be null or a finite number > 0, got 0/);
    expect(() => new Pattention({ inputChannels: 4, outputChannels: 4, paramTokenNum: 4, normActivationType: 'gelu' as never })).toThrow(/normActivationType/);
    const wrong = tf.zeros([3, 4]) as tf.Tensor2D;
    expect(() => new Pattention({ inputChannels: 4, outputChannels: 4, paramTokenNum: 4, keyParamTokens: wrong })).toThrow(PattentionShapeError);
    wrong.dispose();
  });
});
