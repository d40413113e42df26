// Generation with and without the KV cache gives the same tokens; sampling is reproducible by seed;
// a checkpoint round trip (bytes) keeps every weight.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { deserializeCheckpoint, preset, serializeCheckpoint, TokenFormer, type GenerateOptions } from '@tokenformer/model';

await tf.setBackend('wasm');
const model = new TokenFormer(preset('tiny'), { seed: 7 });
const prompt = [84, 104, 101, 32]; // "The " as bytes

const greedy: GenerateOptions = { maxNewTokens: 12, temperature: 0 };
const cached = await model.generate(prompt, greedy);
const uncached = await model.generate(prompt, { ...greedy, useCache: false });
console.log('greedy, cached:  ', cached.join(' '));
console.log('greedy, uncached:', uncached.join(' '));
if (cached.join() !== uncached.join()) throw new Error('the KV cache changed the tokens');

const sampling: GenerateOptions = { maxNewTokens: 12, temperature: 0.9, topK: 50, topP: 0.95, seed: 11 };
const a = await model.generate(prompt, sampling);
const b = await model.generate(prompt, sampling);
if (a.join() !== b.join()) throw new Error('the same seed gave different tokens');
console.log('sampled (seed 11):', a.join(' '));

// The next-token distribution at the end of the prompt.
const logits = model.forward([prompt]); // [1, T, V]
const last = tf.squeeze(tf.slice(logits, [0, prompt.length - 1, 0], [1, 1, -1])); // [V]
const probs = tf.softmax(last);
const top = tf.topk(probs, 3);
console.log('top next tokens:', Array.from(top.indices.dataSync()).join(', '), 'with p =', Array.from(top.values.dataSync(), (p) => p.toFixed(4)).join(', '));
tf.dispose([logits, last, probs, top.indices, top.values]);

const { config, weights } = await serializeCheckpoint(model);
const copy = deserializeCheckpoint(config, weights);
const same = (await copy.generate(prompt, greedy)).join() === cached.join();
console.log(`checkpoint: ${(weights.byteLength / 1024).toFixed(0)} kB of safetensors, same tokens after loading: ${same}`);
if (!same) throw new Error('the checkpoint round trip changed the model');
model.dispose();
copy.dispose();
