// `pnpm bench:trainer` (also run by `pnpm bench`): the full trainer step (data from an indexed
// dataset through the sampler, gradients, clipping, AdamW) against a bare forward + backward on
// the same batch, on the bench config (vocab 4096, d 256, 4 layers, seq 256, batch 8), wasm. The
// trainer's overhead should stay within 10%. Options: --steps=N (timed steps, default 3) --json=FILE
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GptSampler, IndexedDataset, IndexedDatasetWriter } from '@tokenformer/data/node';
import { preset, TokenFormer } from '@tokenformer/model';
import { TrainStep } from '@tokenformer/trainer';
import * as tf from '@tensorflow/tfjs';
import { startBackend } from '@tokenformer/node-runtime';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const steps = Number(args.steps ?? 3);

async function main(): Promise<void> {
  const backend = await startBackend('wasm');
  const config = preset('bench');
  const seqLength = 255;
  const batchSize = 8;
  const dir = mkdtempSync(join(tmpdir(), 'bench-trainer-'));
  try {
    const w = new IndexedDatasetWriter(join(dir, 'd'), 'uint16');
    let x = 1;
    for (let d = 0; d < 400; d++) {
      const ids: number[] = [];
      for (let i = 0; i < 300; i++) ids.push((x = (x * 1103515245 + 12345) >>> 0) % config.vocabSize);
      w.addDocument(ids);
    }
    w.finalize();
    const ds = IndexedDataset.open(join(dir, 'd'));
    const sampler = new GptSampler(ds, { seqLength, batchSize, seed: 1 });
    const model = new TokenFormer(config, { seed: 1 });
    const vars = model.trainableVariables();
    const fixed = sampler.batch(0);
    const bare = async (): Promise<void> => {
      const ids = tf.tensor2d(fixed.data, fixed.shape, 'int32');
      const { value, grads } = tf.variableGrads(() => model.loss(ids) as tf.Scalar, vars);
      await value.data();
      tf.dispose([ids, value, ...Object.values(grads)]);
    };
    const step = new TrainStep(model);
    const full = async (): Promise<void> => {
      await step.run([sampler.next()!], 1e-4);
    };
    const once = async (f: () => Promise<void>): Promise<number> => {
      const t0 = performance.now();
      await f();
      return (performance.now() - t0) / 1000;
    };
    // alternate the two so that drift of the machine (other load, heap growth) hits both alike
    let bareSec = 0;
    let fullSec = 0;
    await bare();
    await full();
    for (let i = 0; i < steps; i++) {
      bareSec += await once(bare);
      fullSec += await once(full);
    }
    bareSec /= steps;
    fullSec /= steps;
    const tokens = batchSize * seqLength;
    const result = { backend, steps, bareTokensPerSec: tokens / bareSec, trainerTokensPerSec: tokens / fullSec, overhead: fullSec / bareSec - 1 };
    console.log(`trainer on ${backend}, bench config, ${batchSize}x${seqLength} tokens per step, mean of ${steps} each, alternated, after a warm-up of each:`);
    console.log(`  bare forward + backward   ${result.bareTokensPerSec.toFixed(0)} tokens/s (${bareSec.toFixed(2)} s/step)`);
    console.log(`  full trainer step         ${result.trainerTokensPerSec.toFixed(0)} tokens/s (${fullSec.toFixed(2)} s/step: data, clipping, AdamW)`);
    console.log(`  overhead                  ${(100 * result.overhead).toFixed(1)}% (goal <= 10%)`);
    if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
    step.dispose();
    model.dispose();
    ds.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
