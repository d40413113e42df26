// The wasm fast path is plain 2-D matMul without transpose flags. This test watches every
// BatchMatMul kernel call (on the cpu backend, where the kernel is swapped for a recording
// wrapper and restored afterwards) during a Pattention forward and backward pass.
import { tf, useBackend } from '@tokenformer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pattention, SMALL_M_ROWS, pattention, type NormActivationType } from './index.js';

interface Call { transposeA: boolean; transposeB: boolean; batch: number }

describe('Pattention matMuls stay on the 2-D, no-transpose path', () => {
  const calls: Call[] = [];
  let original: tf.KernelConfig | undefined;

  beforeAll(async () => {
    await useBackend('cpu');
    original = tf.getKernel('BatchMatMul', 'cpu');
    tf.unregisterKernel('BatchMatMul', 'cpu');
    tf.registerKernel({
      ...original!,
      kernelFunc: (args) => {
        const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
        const a = (args.inputs as { a: tf.TensorInfo }).a;
        calls.push({ transposeA: attrs.transposeA, transposeB: attrs.transposeB, batch: a.shape.length === 3 ? a.shape[0]! : 1 });
        return original!.kernelFunc(args);
      },
    });
  });

  afterAll(() => {
    tf.unregisterKernel('BatchMatMul', 'cpu');
    tf.registerKernel(original!);
  });

  for (const norm of ['l2_norm_gelu', 'gelu_l2_norm', 'softmax'] as NormActivationType[]) {
    it(`${norm}: forward and backward`, () => {
      calls.length = 0;
      const x = tf.randomNormal([4, SMALL_M_ROWS / 4, 8]);
      const k = tf.randomNormal([5, 8]) as tf.Tensor2D;
      const v = tf.randomNormal([5, 4]) as tf.Tensor2D;
      const grads = tf.grads((a, b, c) => tf.sum(pattention(a, b as tf.Tensor2D, c as tf.Tensor2D, { normActivationType: norm })))([x, k, v]);
      expect(calls.length).toBe(2 + 4);
      for (const call of calls) expect(call).toEqual({ transposeA: false, transposeB: false, batch: 1 });
      tf.dispose([x, k, v, ...grads]);
    });
  }

  it('the layer (keys stored transposed) multiplies without flags even when decoding one token', () => {
    const layer = new Pattention({ inputChannels: 8, outputChannels: 4, paramTokenNum: 5, seed: 2 });
    const x = tf.randomNormal([1, 8]);
    calls.length = 0;
    const y = layer.apply(x);
    expect(calls).toEqual([{ transposeA: false, transposeB: false, batch: 1 }, { transposeA: false, transposeB: false, batch: 1 }]);
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar, [layer.keyParamTokensT, layer.valueParamTokens]);
    for (const call of calls) expect(call).toEqual({ transposeA: false, transposeB: false, batch: 1 });
    tf.dispose([x, y, ...Object.values(grads)]);
    layer.dispose();
  });

  it('the functional op decoding a few rows uses the transposeB flag in its forward pass only', () => {
    const x = tf.randomNormal([1, 8]);
    const k = tf.randomNormal([5, 8]) as tf.Tensor2D;
    const v = tf.randomNormal([5, 4]) as tf.Tensor2D;
    calls.length = 0;
    const [dx] = tf.grads((a) => tf.sum(pattention(a, k, v)))([x]);
    expect(calls.filter((c) => c.transposeB)).toHaveLength(1);
    expect(calls.filter((c) => c.transposeA || c.batch !== 1)).toHaveLength(0);
    tf.dispose([x, k, v, dx!]);
  });
});
