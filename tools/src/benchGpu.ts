// The GPU run (tools/device/run.sh runs it on a lent GPU machine, through Dawn on the GPU's Vulkan
// driver): the WebGPU matMul peak of this GPU, greedy KV-cache generation of the 150M-shaped model at
// batch 1, and a training run of a ~59M model (the 150M's vocabulary, 8 × 512, 512/512/2048 tokens)
// with tokens/s, MFU against that measured peak, and the most GPU memory tfjs's buffer pool held.
// Random weights and ids: speed, not quality. Options: --steps=N (training steps, default 1000)
// --minutes=M (stop training after M minutes, default 6) --quick (tiny sizes: a smoke run on SwiftShader)
// --json=FILE
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { preset, TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { matMul2d } from '@tokenformer/pattention';
import { startBackend } from '@tokenformer/node-runtime';
import { TrainStep } from '@tokenformer/trainer';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const quick = 'quick' in args;
const steps = Number(args.steps ?? (quick ? 3 : 1000));
const minutes = Number(args.minutes ?? 6);

/**
 * Training FLOPs per token: 6·N for the N parameters every token multiplies through (all of them: the
 * embedding is also the output projection, tied; LayerNorm's few are counted too) + causal attention
 * 6·L·T·d (scores and weighted sum, forward and backward, half of the [T, T] pairs).
 */
function trainFlopsPerToken(model: TokenFormer, seq: number): number {
  const c = model.config;
  return 6 * model.countParams() + 6 * c.numLayers * seq * c.hiddenSize;
}

/** FLOP/s of the matMul the model runs (matMul2d: our kernel's choice on this adapter), n³ products. */
async function matMulPeak(n: number): Promise<number> {
  const a = tf.randomNormal([n, n]) as tf.Tensor2D;
  const b = tf.randomNormal([n, n]) as tf.Tensor2D;
  const run = async (reps: number): Promise<number> => {
    const t0 = performance.now();
    const outs = Array.from({ length: reps }, () => matMul2d(a, b));
    await outs[reps - 1]!.data();
    tf.dispose(outs);
    return (performance.now() - t0) / 1000;
  };
  await run(2);
  const reps = quick ? 2 : 20;
  const sec = Math.min(await run(reps), await run(reps));
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / sec;
}

async function generation(config: TokenFormerConfig, newTokens: number): Promise<number> {
  const model = new TokenFormer(config, { seed: 1 });
  const prompt = Array.from({ length: 16 }, (_, i) => (i * 7919 + 13) % config.vocabSize);
  await model.generate(prompt, { maxNewTokens: 4, temperature: 0 });
  let first = 0;
  let n = 0;
  await model.generate(prompt, { maxNewTokens: newTokens, temperature: 0, onToken: () => void (n++ === 0 && (first = performance.now())) });
  const tokensPerSec = (n - 1) / ((performance.now() - first) / 1000);
  model.dispose();
  return tokensPerSec;
}

async function main(): Promise<void> {
  const backend = await startBackend('webgpu');
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  console.log(`backend ${backend}, adapter ${info?.vendor ?? '?'} ${info?.architecture ?? '?'}`);
  const peak = await matMulPeak(quick ? 256 : 4096);
  console.log(`webgpu matMul peak (the model's matMul, float32, ${quick ? 256 : 4096}³): ${(peak / 1e9).toFixed(1)} GFLOP/s`);
  const genConfig = quick ? preset('small') : preset('tokenformer-150m');
  const genTokens = await generation(genConfig, quick ? 8 : 64);
  console.log(`${quick ? 'small' : '150M'}-shaped model, greedy generation, batch 1, KV cache: ${genTokens.toFixed(1)} tokens/s`);

  const config = quick ? preset('small') : preset('tokenformer-150m', { hiddenSize: 512, numLayers: 8, numAttentionHeads: 8, qkvSlotNum: 512, projSlotNum: 512, ffnSlotNum: 2048 });
  const [batch, seq] = quick ? [2, 64] : [8, 512];
  const model = new TokenFormer(config, { seed: 1 });
  const step = new TrainStep(model);
  let x = 1;
  const data = Int32Array.from({ length: batch * (seq + 1) }, () => (x = (x * 1103515245 + 12345) >>> 0) % config.vocabSize);
  const first = (await step.run([{ data, shape: [batch, seq + 1] }], 3e-4)).loss; // warm-up: shaders compile
  let peakBytes = 0;
  let done = 0;
  let last = first;
  const t0 = performance.now();
  while (done < steps && performance.now() - t0 < minutes * 60_000) {
    last = (await step.run([{ data, shape: [batch, seq + 1] }], 3e-4)).loss;
    done++;
    peakBytes = Math.max(peakBytes, (tf.memory() as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU ?? 0);
  }
  const sec = (performance.now() - t0) / 1000;
  const tokensPerSec = (done * batch * seq) / sec;
  const flops = tokensPerSec * trainFlopsPerToken(model, seq);
  console.log(`training ${model.countParams().toLocaleString('en')} parameters, ${batch}x${seq} tokens per step: ${done} steps in ${sec.toFixed(0)} s, ${tokensPerSec.toFixed(0)} tokens/s, ${(flops / 1e9).toFixed(1)} GFLOP/s = MFU ${((100 * flops) / peak).toFixed(1)}% of the measured matMul peak; loss ${first.toFixed(3)} -> ${last.toFixed(3)} on one repeated batch`);
  console.log(`peak GPU memory held by tfjs's buffer pool: ${(peakBytes / 2 ** 30).toFixed(2)} GiB`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ backend, adapter: info, peakFlops: peak, generationTokensPerSec: genTokens, training: { steps: done, sec, tokensPerSec, flops, mfu: flops / peak, first, last }, peakBytes }, null, 2));
  step.dispose();
  model.dispose();
}

await main();
