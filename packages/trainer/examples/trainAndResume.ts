// A training loop by hand: in-memory documents, GPT-NeoX's sampler, the official AdamW step with a
// warmup-then-cosine schedule, and a mid-run save of the optimizer state (optimizer.safetensors
// bytes) that a fresh step resumes from bit-identically.
import * as tf from '@tensorflow/tfjs'; // the gradients training needs
import '@tensorflow/tfjs-backend-wasm';
import { documentsFromArrays, GptSampler } from '@tokenformer/data';
import { deserializeCheckpoint, preset, serializeCheckpoint, TokenFormer } from '@tokenformer/model';
import { deserializeOptimizerState, learningRateSchedule, serializeOptimizerState, TrainStep } from '@tokenformer/trainer';

await tf.setBackend('wasm');
const text = 'Four score and seven years ago our fathers brought forth on this continent, a new nation. ';
const bytes = (t: string): number[] => Array.from(new TextEncoder().encode(t));
const documents = documentsFromArrays(Array.from({ length: 12 }, (_, i) => [...bytes(text.repeat(1 + (i % 3))), 0]));
const sampler = new GptSampler(documents, { seqLength: 32, batchSize: 4, seed: 1, numEpochs: 4 });
const lr = learningRateSchedule({ maxLr: 3e-3, minLr: 3e-4, warmupSteps: 2, decaySteps: 20 });

const step = new TrainStep(new TokenFormer(preset('tiny'), { seed: 1 }));
for (let i = 1; i <= 10; i++) {
  const r = await step.run([sampler.next()!], lr(i));
  if (i === 1 || i === 10) console.log(`step ${i}: loss ${r.loss.toFixed(3)}, gradient norm ${r.gradNorm.toFixed(2)}, lr ${r.lr.toExponential(2)}`);
}

// Save: the model (config.json + model.safetensors bytes), the optimizer state, the sampler's cursor.
const checkpoint = await serializeCheckpoint(step.model);
const state = step.state();
const optimizer = await serializeOptimizerState(state);
tf.dispose([...state.moments.values()]);
const cursor = sampler.cursor();

const straight: number[] = [];
for (let i = 11; i <= 14; i++) straight.push((await step.run([sampler.next()!], lr(i))).loss);

// Resume in a fresh step from the saved bytes.
const resumed = new TrainStep(deserializeCheckpoint(checkpoint.config, checkpoint.weights));
const loaded = deserializeOptimizerState(optimizer);
resumed.loadState(loaded);
tf.dispose([...loaded.moments.values()]);
const again = GptSampler.resume(documents, cursor);
const continued: number[] = [];
for (let i = 11; i <= 14; i++) continued.push((await resumed.run([again.next()!], lr(i))).loss);

console.log('after the save:   ', straight.map((l) => l.toFixed(6)).join(' '));
console.log('after the resume: ', continued.map((l) => l.toFixed(6)).join(' '));
if (straight.join() !== continued.join()) throw new Error('the resumed run differs');
for (const s of [step, resumed]) {
  s.dispose();
  s.model.dispose();
}
