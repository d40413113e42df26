// `pnpm bench:compare`: this project against PyTorch on the same CPU, one command, in alternating
// rounds (ours, then PyTorch, --rounds times): the machine drifts by ±30% over minutes, so each
// round's ratio compares figures taken together, and the ratio printed is the median of the rounds'. The bench config (vocab 4096, d 256,
// 4 layers, 256/1024 tokens, seq 256, batch 8), the full training step (forward, loss, backward,
// clipping, AdamW) and KV-cache generation (batch 1, 16-token prompt, greedy). Ours on wasm;
// PyTorch from tools/reference/bench_torch.py with Debian's OpenBLAS when installed
// (libopenblas0-pthread; OPENBLAS_NUM_THREADS=1, torch threads = 2), the BLAS it loaded printed.
// Also: the 2-D matMul peak of the wasm backend, model FLOPs utilisation (the paper's count:
// 6N + 12·L·d·T per trained token), and a per-kernel profile of one training step.
// Generation runs in a second process with --gen-threads wasm threads (default 1, as `tokenformer
// generate`): a batch-1 decoding step is ~400 small kernels, and a second thread slows each one
// (measured: 200 tokens/s on 1 thread, 92 on 2).
// Options: --rounds=N (default 3) --steps=N (3 per round) --gen-tokens=N (64) --threads=N (wasm
// threads for training, default 2) --gen-threads=N (1) --json=FILE
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { countParams, preset, TokenFormer } from '@tokenformer/model';
import { TrainStep } from '@tokenformer/trainer';
import { startBackend } from '@tokenformer/node-runtime';
import * as tf from '@tensorflow/tfjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const rounds = Number(args.rounds ?? 3);
const steps = Number(args.steps ?? 3);
const genTokens = Number(args['gen-tokens'] ?? 64);
const threads = Number(args.threads ?? 2);
const genThreads = Number(args['gen-threads'] ?? 1);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const config = preset('bench');
const batch = 8;
const seq = 256;
const L = config.numLayers;
const d = config.hiddenSize;
const flopsPerToken = 6 * countParams(config) + 12 * L * d * seq;

function randomIds(rows: number, cols: number): Int32Array {
  let s = 7;
  return Int32Array.from({ length: rows * cols }, () => (s = (s * 1103515245 + 12345) >>> 0) % config.vocabSize);
}

/** The best GFLOP/s of plain 2-D matMuls on the active backend (the shapes a Pattention uses, and a square one). */
async function matMulPeak(): Promise<{ gflops: number; shape: string }[]> {
  const out: { gflops: number; shape: string }[] = [];
  for (const [m, k, n] of [[2048, 256, 1024], [2048, 1024, 256], [1024, 1024, 1024]] as const) {
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    await tf.matMul(a, b).data();
    const reps = 5;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    }
    const sec = (performance.now() - t0) / 1000 / reps;
    out.push({ gflops: (2 * m * k * n) / sec / 1e9, shape: `[${m},${k}]x[${k},${n}]` });
    tf.dispose([a, b]);
  }
  return out;
}

/** The model and its training step, warmed up; `train()` times `steps` steps (median tokens/s). */
async function ourTrainer() {
  const model = new TokenFormer(config, { seed: 1 });
  const step = new TrainStep(model);
  const data = { data: randomIds(batch, seq + 1), shape: [batch, seq + 1] as [number, number] };
  await step.run([data], 1e-3); // warm-up
  const train = async (): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await step.run([data], 1e-3);
      times.push((performance.now() - t0) / 1000);
    }
    return (batch * seq) / median(times);
  };
  // per-kernel profile of one bare forward + backward (the optimizer's kernels are small)
  const profile = async () => {
    const ids = tf.tensor2d(data.data, data.shape, 'int32');
    const info = await tf.profile(async () => {
      const { value, grads } = tf.variableGrads(() => model.loss(ids) as tf.Scalar, model.trainableVariables());
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    });
    ids.dispose();
    const byKernel = new Map<string, number>();
    // 'unnamed scope' entries are custom-gradient ops, whose inner kernels are listed too: left out, not counted twice
    for (const k of info.kernels) if (k.name !== 'unnamed scope') byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0));
    const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
    const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({ name, ms, share: ms / total }));
    return { totalMs: total, top };
  };
  const dispose = () => {
    step.dispose();
    model.dispose();
  };
  return { train, profile, dispose };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** KV-cache generation tokens/s (batch 1, 16-token prompt, greedy) on this process's backend. */
async function generation(): Promise<number> {
  const model = new TokenFormer(config, { seed: 1 });
  const prompt = Array.from(randomIds(1, 16));
  await model.generate(prompt, { maxNewTokens: 4, temperature: 0 });
  let first = 0;
  let count = 0;
  await model.generate(prompt, { maxNewTokens: genTokens, temperature: 0, onToken: () => void (count++ === 0 && (first = performance.now())) });
  model.dispose();
  return (count - 1) / ((performance.now() - first) / 1000);
}

/** generation() in a fresh process with genThreads wasm threads (threads are fixed when wasm starts). */
function generationInChild(): number {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--mode=generate', `--threads=${genThreads}`, `--gen-tokens=${genTokens}`], { encoding: 'utf8' });
  return Number(JSON.parse(out.trim().split('\n').pop()!).generateTokensPerSec);
}

function pytorch(): { trainTokensPerSec: number; generateTokensPerSec: number; blas: string[]; threads: number; torch: string } {
  const spec = { vocab: config.vocabSize, d, layers: L, heads: config.numAttentionHeads, qkv: 256, proj: 256, ffn: 1024, seq, batch, steps, gen_prompt: 16, gen_tokens: genTokens, threads: 2 };
  const out = execFileSync('/usr/bin/python3', [join(ROOT, 'tools', 'reference', 'bench_torch.py'), JSON.stringify(spec)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '2' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  if (args.mode === 'generate') {
    await startBackend('wasm', { threads });
    console.log(JSON.stringify({ generateTokensPerSec: await generation() }));
    return;
  }
  await startBackend('wasm', { threads });
  const backend = `wasm, ${threads} thread${threads > 1 ? 's' : ''}`;
  console.log(`bench config: ${(countParams(config) / 1e6).toFixed(2)}M parameters, ${(flopsPerToken / 1e6).toFixed(1)} MFLOP per trained token, batch ${batch} x seq ${seq}`);
  const peak = await matMulPeak();
  const best = Math.max(...peak.map((p) => p.gflops));
  for (const p of peak) console.log(`[${backend}] 2-D matMul ${p.shape}: ${p.gflops.toFixed(1)} GFLOP/s`);
  const genBackend = `wasm, ${genThreads} thread${genThreads > 1 ? 's' : ''}`;
  const trainer = await ourTrainer();
  const results: { ours: { trainTokensPerSec: number; generateTokensPerSec: number }; pytorch: ReturnType<typeof pytorch> | null }[] = [];
  for (let r = 1; r <= rounds; r++) {
    const o = { trainTokensPerSec: await trainer.train(), generateTokensPerSec: generationInChild() };
    let t: ReturnType<typeof pytorch> | null = null;
    try {
      t = pytorch();
    } catch (e) {
      if (r === 1) console.log(`PyTorch: unavailable (${(e as Error).message.split('\n')[0]}); install Debian's python3-torch (and libopenblas0-pthread)`);
    }
    results.push({ ours: o, pytorch: t });
    const vs = t ? `; PyTorch ${t.trainTokensPerSec.toFixed(0)} and ${t.generateTokensPerSec.toFixed(1)}: ratios ${(o.trainTokensPerSec / t.trainTokensPerSec).toFixed(2)} and ${(o.generateTokensPerSec / t.generateTokensPerSec).toFixed(2)}` : '';
    console.log(`round ${r}/${rounds}: ours training ${o.trainTokensPerSec.toFixed(0)} tokens/s, generation ${o.generateTokensPerSec.toFixed(1)} tokens/s${vs}`);
  }
  const oursTrain = median(results.map((x) => x.ours.trainTokensPerSec));
  const oursGen = median(results.map((x) => x.ours.generateTokensPerSec));
  const achieved = (oursTrain * flopsPerToken) / 1e9;
  console.log(`[${backend}] training (median of rounds): ${oursTrain.toFixed(0)} tokens/s = ${achieved.toFixed(1)} GFLOP/s; MFU ${(100 * achieved / best).toFixed(0)}% of the ${best.toFixed(1)} GFLOP/s matMul peak`);
  console.log(`[${genBackend}] generation (KV cache, batch 1; median of rounds): ${oursGen.toFixed(1)} tokens/s`);
  const profile = await trainer.profile();
  trainer.dispose();
  console.log(`[${backend}] profile of one forward + backward (${profile.totalMs.toFixed(0)} ms of kernels):`);
  for (const k of profile.top) console.log(`  ${k.name.padEnd(26)} ${k.ms.toFixed(0).padStart(6)} ms  ${(100 * k.share).toFixed(1)}%`);
  const paired = results.filter((x) => x.pytorch);
  if (paired.length) {
    const t = paired[0]!.pytorch!;
    const torchTrain = median(paired.map((x) => x.pytorch!.trainTokensPerSec));
    const torchGen = median(paired.map((x) => x.pytorch!.generateTokensPerSec));
    console.log(`[pytorch ${t.torch}, ${t.threads} threads, BLAS ${t.blas.map((b) => b.split('/').pop()).join(', ') || 'none found'}] training (median): ${torchTrain.toFixed(0)} tokens/s (${((torchTrain * flopsPerToken) / 1e9).toFixed(1)} GFLOP/s); generation (median): ${torchGen.toFixed(1)} tokens/s`);
    console.log(`training tokens/s ratio (ours/PyTorch): ${median(paired.map((x) => x.ours.trainTokensPerSec / x.pytorch!.trainTokensPerSec)).toFixed(2)}`);
    console.log(`generation tokens/s ratio (ours/PyTorch): ${median(paired.map((x) => x.ours.generateTokensPerSec / x.pytorch!.generateTokensPerSec)).toFixed(2)}`);
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ backend, genBackend, peak, rounds: results, profile, achievedGflops: achieved, mfu: achieved / best }, null, 2));
}

await main();
