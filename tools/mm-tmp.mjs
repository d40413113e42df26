const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');
const a = tf.randomNormal([1024, 1024]), b = tf.randomNormal([1024, 1024]);
await tf.matMul(a, b).data();
const t1 = performance.now();
for (let i = 0; i < 5; i++) await tf.matMul(a, b).data();
console.log('1 thread GFLOP/s', (5 * 2 * 1024 ** 3) / ((performance.now() - t1) / 1000) / 1e9);
