// Growing every Pattention of a model (exactly: zero keys, τ pinned; and as the official code does,
// τ recomputed), then pruning the least important tokens measured on calibration text.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { grow, measureDeviation, prune, scoreTokens } from '@tokenformer/growth';
import { preset, TokenFormer } from '@tokenformer/model';

await tf.setBackend('wasm');
const model = new TokenFormer(preset('tiny'), { seed: 3 });
const config = model.config;
const weights = model.exportWeights();
const ids = [Array.from(new TextEncoder().encode('Ask not what your country can do for you'))];
const add = { query: 8, key: 8, value: 8, proj: 8, ffn: 32 };

for (const tau of ['exact', 'official'] as const) {
  const g = grow(config, weights, { add, tau, seed: 1 });
  const d = await measureDeviation({ config, weights }, g, ids);
  console.log(`grow, tau ${tau.padEnd(8)}: max |Δlogit| ${d.maxAbsLogitDiff.toExponential(2)}, loss ${d.lossBefore.toFixed(4)} -> ${d.lossAfter.toFixed(4)}`);
  if (tau === 'exact' && d.maxAbsLogitDiff > 1e-5) throw new Error('exact growth changed the function');
  tf.dispose([...g.weights.values()]);
}

const scores = await scoreTokens(model, ids); // forward passes only
const p = prune(config, weights, scores, { keep: 0.75 });
const smaller = new TokenFormer(p.config, { weights: p.weights });
const d = await measureDeviation({ config, weights }, { config: p.config, weights: p.weights }, ids);
console.log(`prune to 75%: ${model.countParams()} -> ${smaller.countParams()} parameters, loss ${d.lossBefore.toFixed(4)} -> ${d.lossAfter.toFixed(4)}`);
if (smaller.countParams() >= model.countParams()) throw new Error('pruning kept every token');
tf.dispose([...weights.values(), ...p.weights.values()]);
model.dispose();
smaller.dispose();
