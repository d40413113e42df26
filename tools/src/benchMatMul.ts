// `pnpm bench:matmul`: our wasm MATMUL kernel (@tokenformer/kernels, the relaxed- or plain-SIMD
// build this engine validates) against tfjs-wasm's XNNPACK, on the bench config's Pattention
// products and their gradients, in alternating rounds (ours, then XNNPACK): GFLOP/s of each, the
// median of the rounds and their spread, and the ratio. Options: --threads=N (wasm threads, default
// 1) --rounds=N (5). On Node 20 startBackend turns relaxed SIMD on (TOKENFORMER_WASM_RELAXED_SIMD=0: the plain build).
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { MATMUL } from '@tokenformer/kernels';
import { matMulBuild, setMatMulPolicy } from '@tokenformer/kernels/wasm';
import { startBackend } from '@tokenformer/node-runtime';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const threads = Number(args.threads ?? 1);
const rounds = Number(args.rounds ?? 5);

/** [M, K, N, transposeA, transposeB, what]: a · b of the bench config (8 x 256 tokens, d 256, 1024 FFN tokens). */
const SHAPES: [number, number, number, boolean, boolean, string][] = [
  [2048, 256, 1024, false, false, 'FFN scores x·K'],
  [2048, 1024, 256, false, false, 'FFN output Θ·V'],
  [2048, 1024, 256, false, true, 'dx = dscores·Kᵀ'],
  [256, 2048, 1024, true, false, 'dV = Θᵀ·dy'],
  [2048, 256, 256, false, false, 'attention projections'],
  [1, 256, 1024, false, false, 'decode (one row)'],
];

function timeIt(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.dispose(tf.engine().runKernel(MATMUL, { a, b }, { transposeA: tA, transposeB: tB } as unknown as tf.NamedAttrMap) as tf.Tensor);
  return (performance.now() - t0) / 1000 / reps;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

await startBackend('wasm', { threads });
console.log(`wasm, ${threads} thread(s); our matMul build: ${matMulBuild() ?? 'none (no WebAssembly SIMD)'}; ${rounds} alternating rounds`);
for (const [M, K, N, tA, tB, what] of SHAPES) {
  const a = tf.randomNormal(tA ? [K, M] : [M, K]);
  const b = tf.randomNormal(tB ? [N, K] : [K, N]);
  const flop = 2 * M * K * N;
  const reps = Math.max(1, Math.min(50, Math.round(2e9 / flop)));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (const p of ['always', 'never'] as const) {
    setMatMulPolicy(p);
    timeIt(a, b, tA, tB, 1); // warm-up
  }
  for (let r = 0; r < rounds; r++) {
    setMatMulPolicy('always');
    ours.push(flop / timeIt(a, b, tA, tB, reps) / 1e9);
    setMatMulPolicy('never');
    theirs.push(flop / timeIt(a, b, tA, tB, reps) / 1e9);
  }
  setMatMulPolicy('auto');
  const ratios = ours.map((o, i) => o / theirs[i]!);
  console.log(`[${M},${K}]${tA ? 'ᵀ' : ''} x [${K},${N}]${tB ? 'ᵀ' : ''} (${what}): ours ${median(ours).toFixed(1)} GFLOP/s (${Math.min(...ours).toFixed(1)}-${Math.max(...ours).toFixed(1)}), XNNPACK ${median(theirs).toFixed(1)} (${Math.min(...theirs).toFixed(1)}-${Math.max(...theirs).toFixed(1)}); ratio ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
  tf.dispose([a, b]);
}
