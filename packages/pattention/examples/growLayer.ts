// Growing a Pattention layer without changing what it computes (the paper's §3.3): append key/value
// parameter tokens with zero keys and keep τ at its old value. The new scores are 0, GeLU(0) = 0 and
// each row's L2 norm is unchanged, so the output is exactly the old one.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { defaultTau, Pattention } from '@tokenformer/pattention';

await tf.setBackend('wasm');
const small = new Pattention({ inputChannels: 8, outputChannels: 8, paramTokenNum: 16, seed: 1 });
const keys = small.readKeyParamTokens(); // [16, 8]
const tau = defaultTau('l2_norm_gelu', 16); // √16 = 4, pinned below

const bigger = new Pattention({
  inputChannels: 8,
  outputChannels: 8,
  paramTokenNum: 24,
  tau,
  keyParamTokens: tf.concat([keys, tf.zeros([8, 8])]) as tf.Tensor2D, // 8 new tokens with zero keys
  valueParamTokens: tf.concat([small.valueParamTokens, tf.randomNormal([8, 8], 0, 0.02, 'float32', 2)]) as tf.Tensor2D,
});

const x = tf.randomNormal([4, 8], 0, 1, 'float32', 3); // [4, d1]
const before = small.apply(x);
const after = bigger.apply(x);
const maxDiff = tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]!;
console.log(`parameters ${small.countParams()} -> ${bigger.countParams()}, max |output change| ${maxDiff}`);
if (maxDiff > 1e-6) throw new Error(`growth changed the output by ${maxDiff}`);
