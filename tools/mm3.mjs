import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const mode = process.argv[2];
const mk = (r, c) => tf.tensor2d(Float32Array.from({ length: r * c }, () => Math.random() - 0.5), [r, c]);
for (const [M, N, K] of [[1, 1024, 256], [1, 4096, 256], [2048, 1024, 256]]) {
  const x = mk(M, K), W = mk(N, K), WT = mk(K, N);
  const f = mode === 'flag' ? () => tf.matMul(x, W, false, true) : mode === 'explicit' ? () => tf.matMul(x, tf.transpose(W)) : () => tf.matMul(x, WT);
  for (let i = 0; i < 2; i++) tf.tidy(f);
  const n = M > 100 ? 5 : 100;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(() => { f().dataSync(); });
  const ms = (performance.now() - t0) / n;
  console.log(mode, M, N, K, ms.toFixed(3), 'ms', (2 * M * N * K / ms / 1e6).toFixed(2), 'GFLOP/s');
}
