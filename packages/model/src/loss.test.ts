import { describeEachBackend, expectAllClose, randn, tf, useBackend } from '@tokenformer/testing';
import { beforeAll, expect, it } from 'vitest';
import { meanCrossEntropy, tokenCrossEntropy } from './index.js';

// The loss against a float64 logsumexp computed here, its gradient against softmax - onehot, and
// the cap for a target probability that underflows float32.
describeEachBackend('cross-entropy', (backend) => {
  beforeAll(() => useBackend(backend));

  const [B, T, V] = [2, 3, 11];
  const logits = Array.from(randn(B * T * V, 7, 4));
  const targets = [[0, 5, 10], [3, -100, 7]];

  it('equals logsumexp(logits) - logits[target] in float64, 0 where ignored', async () => {
    const expected: number[] = [];
    for (let r = 0; r < B * T; r++) {
      const row = logits.slice(r * V, (r + 1) * V);
      const t = targets[Math.floor(r / T)]![r % T]!;
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
      expected.push(t === -100 ? 0 : lse - row[t]!);
    }
    const x = tf.tensor3d(logits, [B, T, V]);
    const y = tf.tensor2d(targets, [B, T], 'int32');
    const loss = tokenCrossEntropy(x, y, -100);
    expectAllClose(await loss.data(), expected, 1e-5, 1e-5);
    tf.dispose([x, y, loss]);
  });

  it('has the gradient (softmax - onehot) / count', async () => {
    const x = tf.tensor3d(logits, [B, T, V]);
    const y = tf.tensor2d(targets, [B, T], 'int32');
    const grad = tf.grad((l) => meanCrossEntropy(l, y, -100))(x);
    const expected: number[] = [];
    for (let r = 0; r < B * T; r++) {
      const row = logits.slice(r * V, (r + 1) * V);
      const t = targets[Math.floor(r / T)]![r % T]!;
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      row.forEach((v, j) => expected.push(t === -100 ? 0 : (Math.exp(v - max) / sum - (j === t ? 1 : 0)) / 5));
    }
    expectAllClose(await grad.data(), expected, 1e-4, 1e-6);
    tf.dispose([x, y, grad]);
  });

  it('caps the loss of a target whose probability underflows at 87.3 nats, with a finite gradient', async () => {
    const x = tf.tensor3d([0, 200, 0], [1, 1, 3]);
    const y = tf.tensor2d([[0]], [1, 1], 'int32');
    const value = meanCrossEntropy(x, y, -100);
    const loss = (await value.data())[0]!;
    expect(loss).toBeCloseTo(-Math.log(1.1754943508222875e-38), 3);
    const grad = tf.grad((l) => meanCrossEntropy(l, y, -100))(x);
    expectAllClose(await grad.data(), [-1, 1, 0], 0, 1e-6);
    tf.dispose([x, y, value, grad]);
  });
});
