// `pnpm bench:webgpu`: training (the full trainer step: forward, backward, clipping, AdamW) and
// KV-cache generation on WebGPU in Node (Dawn), each with our WebGPU kernels and with them
// unregistered (the same model on stock tfjs ops), in alternating rounds in one process; with the
// dispatches and the bytes of kernel outputs per training step and per generated token. Here Dawn's
// adapter is SwiftShader (a CPU): the ratios show fewer passes and dispatches, not GPU speed; on a GPU
// machine the same command measures the GPU (tools/device/run.sh). `pnpm bench:webgpu` runs the page's
// half first (apps/web/scripts/bench.mjs --backend=webgpu --compare), then this.
// Options: --config=small|bench (default small: SwiftShader is slow) --rounds=N (default 3)
// --new-tokens=N (default 24) --json=FILE
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { countWebGpuDispatches, dispatchCount, registerWebGpuKernels, unregisterWebGpuKernels } from '@tokenformer/kernels/webgpu';
import { createConfig, preset, TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { startBackend } from '@tokenformer/node-runtime';
import { TrainStep } from '@tokenformer/trainer';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const rounds = Number(args.rounds ?? 3);
const newTokens = Number(args['new-tokens'] ?? 24);

/** The model and batch of each size: `small` fits SwiftShader's speed, `bench` is the CPU benches' config. */
const SIZES: Record<string, { config: TokenFormerConfig; batch: number; seq: number }> = {
  small: { config: createConfig({ vocabSize: 2048, hiddenSize: 128, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 128, projSlotNum: 128, ffnSlotNum: 512, maxSeqLen: 128 }), batch: 4, seq: 127 },
  bench: { config: preset('bench'), batch: 8, seq: 255 },
};

interface Side {
  trainSec: number[];
  decodeSec: number[];
  stepDispatches: number;
  stepBytes: number;
  tokenDispatches: number;
  tokenBytes: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const size = SIZES[args.config ?? 'small'];
  if (!size) throw new Error(`--config=${args.config}: choose ${Object.keys(SIZES).join(' or ')}`);
  const backend = await startBackend('webgpu');
  countWebGpuDispatches(tf.backend());
  const { config, batch, seq } = size;
  const model = new TokenFormer(config, { seed: 1 });
  const step = new TrainStep(model);
  let x = 1;
  const data = Int32Array.from({ length: batch * (seq + 1) }, () => (x = (x * 1103515245 + 12345) >>> 0) % config.vocabSize);
  const prompt = Array.from({ length: 16 }, (_, i) => (i * 7919 + 13) % config.vocabSize);
  const train = async (): Promise<void> => {
    await step.run([{ data, shape: [batch, seq + 1] }], 1e-4); // reads the loss back: the queue is drained
  };
  const decode = async (): Promise<number> => {
    let first = 0;
    let n = 0;
    await model.generate(prompt, { maxNewTokens: newTokens, temperature: 0, onToken: () => void (n++ === 0 && (first = performance.now())) });
    return (performance.now() - first) / 1000 / (n - 1);
  };
  const counted = async <T>(f: () => Promise<T>): Promise<{ dispatches: number; bytes: number }> => {
    const before = dispatchCount();
    await f();
    const after = dispatchCount();
    return { dispatches: after.dispatches - before.dispatches, bytes: after.bytes - before.bytes };
  };
  const sides: Record<'ours' | 'stock', Side> = {
    ours: { trainSec: [], decodeSec: [], stepDispatches: 0, stepBytes: 0, tokenDispatches: 0, tokenBytes: 0 },
    stock: { trainSec: [], decodeSec: [], stepDispatches: 0, stepBytes: 0, tokenDispatches: 0, tokenBytes: 0 },
  };
  const use = (side: 'ours' | 'stock'): void => void (side === 'ours' ? registerWebGpuKernels() : unregisterWebGpuKernels());
  console.log(`webgpu bench in Node (Dawn), ${args.config ?? 'small'} config (${model.countParams().toLocaleString('en')} parameters), training ${batch}x${seq} tokens per step, generation of ${newTokens} tokens after a 16-token prompt`);
  for (const side of ['ours', 'stock'] as const) {
    use(side);
    await train(); // warm-up: shaders compile
    await decode();
    const s = sides[side];
    const c = await counted(train);
    [s.stepDispatches, s.stepBytes] = [c.dispatches, c.bytes];
    const g1 = await counted(() => model.generate(prompt, { maxNewTokens: 1, temperature: 0 }));
    const g9 = await counted(() => model.generate(prompt, { maxNewTokens: 9, temperature: 0 }));
    [s.tokenDispatches, s.tokenBytes] = [(g9.dispatches - g1.dispatches) / 8, (g9.bytes - g1.bytes) / 8];
  }
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? (['ours', 'stock'] as const) : (['stock', 'ours'] as const)) {
      use(side);
      const t0 = performance.now();
      await train();
      sides[side].trainSec.push((performance.now() - t0) / 1000);
      sides[side].decodeSec.push(await decode());
    }
    const o = sides.ours;
    const k = sides.stock;
    console.log(`  round ${r + 1}: training ours ${((batch * seq) / o.trainSec[r]!).toFixed(0)} / stock ${((batch * seq) / k.trainSec[r]!).toFixed(0)} tokens/s; generation ours ${(1 / o.decodeSec[r]!).toFixed(1)} / stock ${(1 / k.decodeSec[r]!).toFixed(1)} tokens/s`);
  }
  registerWebGpuKernels();
  const trainRatios = sides.ours.trainSec.map((t, i) => sides.stock.trainSec[i]! / t);
  const decodeRatios = sides.ours.decodeSec.map((t, i) => sides.stock.decodeSec[i]! / t);
  const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
  for (const side of ['ours', 'stock'] as const) {
    const s = sides[side];
    console.log(`${side.padEnd(5)}: ${((batch * seq) / median(s.trainSec)).toFixed(0)} training tokens/s, ${(1 / median(s.decodeSec)).toFixed(1)} generated tokens/s; ${s.stepDispatches} dispatches (${mb(s.stepBytes)} written) per training step, ${s.tokenDispatches.toFixed(0)} (${mb(s.tokenBytes)}) per generated token`);
  }
  console.log(`webgpu training tokens/s ratio (ours/stock): ${median(trainRatios).toFixed(2)} (rounds ${spread(trainRatios)})`);
  console.log(`webgpu generation tokens/s ratio (ours/stock): ${median(decodeRatios).toFixed(2)} (rounds ${spread(decodeRatios)})`);
  console.log(`webgpu dispatches per training step (ours/stock): ${sides.ours.stepDispatches}/${sides.stock.stepDispatches}`);
  console.log(`webgpu dispatches per generated token (ours/stock): ${sides.ours.tokenDispatches.toFixed(0)}/${sides.stock.tokenDispatches.toFixed(0)}`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ backend, config: args.config ?? 'small', batch, seq, newTokens, sides, trainRatios, decodeRatios }, null, 2));
  step.dispose();
  model.dispose();
}

await main();
