// `pnpm bench`: training (forward + backward) and KV-cache generation speed of the bench config
// (vocab 4096, d 256, 4 layers, 4 heads, 256 q/k/v/proj tokens, 1024 FFN tokens, seq 256, batch 8)
// on each backend present. Warm-up first; the backend is printed with every figure.
// Options: --backends=wasm,cpu,webgpu  --steps=N  --batch=N  --json=FILE
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { countParams, preset, TokenFormer } from '@tokenformer/model';
import * as tf from '@tensorflow/tfjs';
import { startBackend, type BackendChoice } from '@tokenformer/node-runtime';

interface Result {
  backend: string;
  batch: number;
  seqLen: number;
  trainTokensPerSec: number;
  trainGflops: number;
  generateTokensPerSec: number;
  generatedTokens: number;
}

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const backends = (args.backends ?? 'wasm,cpu').split(',') as BackendChoice[];
const steps = Number(args.steps ?? 3);
const batchOverride = args.batch === undefined ? undefined : Number(args.batch);

const config = preset('bench');
/** Trained positions per sequence: the bench config's 256 ids give 255 next-token targets. */
const seqLen = 256 - 1;
const L = config.numLayers;
const d = config.hiddenSize;

/** Training FLOPs per token, the paper's count: 6N plus 3 × 4·L·d·T for token-token attention. */
function trainFlopsPerToken(params: number, T: number): number {
  return 6 * params + 12 * L * d * T;
}

function randomIds(batch: number, seed: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) % config.vocabSize);
  return Array.from({ length: batch }, () => Array.from({ length: seqLen + 1 }, next));
}

async function trainStep(model: TokenFormer, ids: number[][]): Promise<void> {
  const { value, grads } = tf.variableGrads(() => model.loss(ids), model.trainableVariables());
  await value.data();
  tf.dispose([value, ...Object.values(grads)]);
}

async function benchBackend(backend: BackendChoice): Promise<Result> {
  // The cpu backend is ~30x slower than wasm: it runs one sequence per step so the bench ends.
  const batch = batchOverride ?? (backend === 'cpu' ? 1 : 8);
  const model = new TokenFormer(config, { seed: 1 });
  const ids = randomIds(batch, 7);
  await trainStep(model, ids); // warm-up
  const n = backend === 'cpu' ? 1 : steps;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await trainStep(model, ids);
  const trainSec = (performance.now() - t0) / 1000;
  const tokens = n * batch * seqLen;
  const trainTokensPerSec = tokens / trainSec;
  const trainGflops = (trainTokensPerSec * trainFlopsPerToken(model.countParams(), seqLen)) / 1e9;

  const prompt = ids[0]!.slice(0, 16);
  const generatedTokens = backend === 'cpu' ? 16 : 128;
  await model.generate(prompt, { maxNewTokens: 4, temperature: 0 }); // warm-up
  let decodeStart = 0;
  let count = 0;
  await model.generate(prompt, {
    maxNewTokens: generatedTokens,
    temperature: 0,
    onToken: () => {
      if (count++ === 0) decodeStart = performance.now(); // time decoding after the prefill's first token
    },
  });
  const generateTokensPerSec = (count - 1) / ((performance.now() - decodeStart) / 1000);
  model.dispose();
  return { backend, batch, seqLen, trainTokensPerSec, trainGflops, generateTokensPerSec, generatedTokens };
}

console.log(`bench config: d ${d}, ${L} layers, ${(countParams(config) / 1e6).toFixed(2)}M parameters, ${(trainFlopsPerToken(countParams(config), seqLen) / 1e6).toFixed(1)} MFLOP per trained token`);
async function adapterName(): Promise<string> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } } }).navigator?.gpu;
  const info = (await gpu?.requestAdapter())?.info ?? {};
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
}

const results: Result[] = [];
for (const backend of backends) {
  try {
    await startBackend(backend);
  } catch (e) {
    console.log(`[${backend}] unavailable: ${(e as Error).message}`);
    continue;
  }
  if (backend === 'webgpu') console.log(`[webgpu] adapter: ${await adapterName()}`);
  const r = await benchBackend(backend);
  results.push(r);
  console.log(
    `[${r.backend}] train (forward + backward), batch ${r.batch} x seq ${r.seqLen}: ${r.trainTokensPerSec.toFixed(1)} tokens/s (${r.trainGflops.toFixed(2)} GFLOP/s)`,
  );
  console.log(`[${r.backend}] generate with KV cache, batch 1, ${r.generatedTokens} tokens after a 16-token prompt: ${r.generateTokensPerSec.toFixed(1)} tokens/s`);
}
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
