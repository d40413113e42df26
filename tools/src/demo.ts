// The main job until the trainer lands: build a small TokenFormer, check it learns a sequence
// (a few optimizer steps on one repeated batch), save and reload its checkpoint, and generate.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preset, TokenFormer } from '@tokenformer/model';
import { loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { startBackend, tf } from './backend.js';

const backend = await startBackend('wasm');
const config = preset('tiny', { vocabSize: 64, maxSeqLen: 64 });
const model = new TokenFormer(config, { seed: 1234 });
console.log(`backend ${backend}; TokenFormer tiny: ${model.countParams().toLocaleString()} parameters`);

// A cyclic pattern the model can learn in a few steps: 0 1 2 ... 15 0 1 2 ...
const pattern = Array.from({ length: 33 }, (_, i) => i % 16);
const optimizer = tf.train.adam(3e-3, 0.9, 0.95, 1e-8);
for (let step = 1; step <= 60; step++) {
  const loss = optimizer.minimize(() => model.loss([pattern]), true, model.trainableVariables());
  if (step === 1 || step % 20 === 0) console.log(`step ${step}: loss ${(await loss!.data())[0]!.toFixed(4)}`);
  loss?.dispose();
}
optimizer.dispose();

const dir = await mkdtemp(join(tmpdir(), 'tokenformer-demo-'));
await saveCheckpoint(model, join(dir, 'checkpoint'));
const reloaded = await loadCheckpoint(join(dir, 'checkpoint'));
const prompt = [0, 1, 2, 3];
const greedy = await reloaded.generate(prompt, { maxNewTokens: 12, temperature: 0 });
console.log(`greedy after [${prompt}] from the reloaded checkpoint: [${greedy}]`);
const sampled = await reloaded.generate(prompt, { maxNewTokens: 12, temperature: 0.8, topK: 8, topP: 0.95, seed: 7 });
console.log(`sampled (temperature 0.8, topK 8, topP 0.95, seed 7): [${sampled}]`);
model.dispose();
reloaded.dispose();
await rm(dir, { recursive: true, force: true });
console.log(`tensors left: ${tf.memory().numTensors}`);
