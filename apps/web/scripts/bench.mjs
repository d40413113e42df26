// `pnpm bench:web`: KV-cache generation and training speed of the page itself in headless Chromium
// (its ?bench mode), for the tiny config and the bench config (random weights, 16-token prompt,
// greedy; training steps of 2 × 64 random ids). With --compare (run by `pnpm bench:webgpu`), each
// config runs with our WebGPU kernels and with them off (?kernels=stock) in alternating rounds.
// Here Chromium's WebGPU is SwiftShader, a CPU emulation: the figures are not GPU speed. On a
// machine with a GPU, run the same command; pass flags with CHROMIUM_FLAGS (e.g.
// "--use-angle=vulkan --enable-features=Vulkan") and the browser with CHROMIUM=/path/to/chrome.
// Then the training page (?mode=train) trains the tiny and bench presets on real text in its worker,
// and its tokens/s after the first two steps is reported.
// Options: --new-tokens=N (default 32) --backend=webgpu|wasm --compare --rounds=N (default 2)
// --train-steps=N (default 12) --json=FILE
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { TokenFormer, createConfig, preset } from '@tokenformer/model';
import { saveCheckpoint } from '@tokenformer/model/node';
import { BpeTrainer } from '@tokenformer/tokenizer';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { writeSotuText } from './sotuText.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const newTokens = Number(args['new-tokens'] ?? 32);
const backend = args.backend ?? 'webgpu';
const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'tokenformer-web-bench-'));
const outDir = join(tmp, 'dist');

await build({ root: webDir, logLevel: 'error', build: { outDir, emptyOutDir: true } });
await tf.setBackend('cpu');
const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
trainer.feed('the quick brown fox jumps over the lazy dog. '.repeat(20));
const tokenizer = trainer.train().toString();
const configs = {
  tiny: createConfig({ vocabSize: 300, hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 32, projSlotNum: 32, ffnSlotNum: 128, maxSeqLen: 128 }),
  bench: preset('bench'),
};
for (const [name, config] of Object.entries(configs)) {
  const model = new TokenFormer(config, { seed: 1 });
  await saveCheckpoint(model, join(outDir, 'models', name), { extraFiles: { 'tokenizer.json': tokenizer } });
  model.dispose();
}
writeSotuText(outDir, 5);
const trainSteps = Number(args['train-steps'] ?? 12);
const server = await preview({ root: webDir, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu', ...(process.env.CHROMIUM_FLAGS ?? '').split(' ').filter(Boolean)],
});
const results = [];
const compare = 'compare' in args;
const rounds = Number(args.rounds ?? 2);
async function benchPage(name, kernels) {
  const page = await context.newPage();
  await page.goto(`${server.resolvedUrls.local[0]}?model=models/${name}/&max_new_tokens=${newTokens}&backend=${backend}&kernels=${kernels}&bench=1`);
  await page.waitForSelector('#output[data-state="done"], #output[data-state="error"]', { timeout: 600_000 });
  const out = await page.evaluate(() => ({ state: document.getElementById('output').dataset.state, bench: document.getElementById('output').dataset.bench, text: document.getElementById('output').textContent }));
  await page.close();
  if (out.state !== 'done') throw new Error(`${name}: ${out.text}`);
  const r = { config: name, side: kernels, ...JSON.parse(out.bench) };
  results.push(r);
  const per = (n, what) => (n === null ? '' : `, ${n.toFixed(0)} dispatches per ${what}`);
  console.log(`${name} [${r.backend}, ${kernels} kernels, ${r.params.toLocaleString('en')} parameters]: prefill ${r.promptTokens} tokens ${r.prefillSeconds.toFixed(2)} s, decode ${r.decodeTokensPerSec.toFixed(1)} tokens/s${per(r.tokenDispatches, 'token')}; training ${r.trainTokensPerSec.toFixed(0)} tokens/s${per(r.stepDispatches, 'step')}`);
  return r;
}
try {
  for (const name of Object.keys(configs)) {
    if (!compare) {
      await benchPage(name, 'ours');
      continue;
    }
    const train = [];
    const decode = [];
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? ['ours', 'stock'] : ['stock', 'ours'];
      const got = {};
      for (const side of order) got[side] = await benchPage(name, side);
      train.push(got.ours.trainTokensPerSec / got.stock.trainTokensPerSec);
      decode.push(got.ours.decodeTokensPerSec / got.stock.decodeTokensPerSec);
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const last = (side) => results.filter((r) => r.config === name && r.side === side).at(-1);
    console.log(`chromium ${backend} ${name}: training tokens/s ratio (ours/stock): ${median(train).toFixed(2)} (rounds ${train.map((x) => x.toFixed(2)).join(', ')})`);
    console.log(`chromium ${backend} ${name}: generation tokens/s ratio (ours/stock): ${median(decode).toFixed(2)} (rounds ${decode.map((x) => x.toFixed(2)).join(', ')})`);
    console.log(`chromium ${backend} ${name}: dispatches per training step ${last('ours').stepDispatches}/${last('stock').stepDispatches}, per generated token ${last('ours').tokenDispatches?.toFixed(0)}/${last('stock').tokenDispatches?.toFixed(0)} (ours/stock)`);
  }
  // the training page itself: a worker training on real text (the State of the Union addresses)
  for (const name of ['tiny', 'bench']) {
    const page = await context.newPage();
    await page.goto(`${server.resolvedUrls.local[0]}?mode=train&preset=${name}&text=texts/sotu.txt&vocab=1024&steps=${trainSteps}&batch=4&seq=64&backend=${backend}&valid_every=100000&checkpoint_every=100000&run=1`);
    await page.waitForSelector('#train[data-state="done"], #train[data-state="error"]', { timeout: 600_000 });
    const t = await page.evaluate(() => ({ ...document.getElementById('train').dataset, text: document.getElementById('train').textContent }));
    await page.close();
    if (t.state !== 'done') throw new Error(`training page, ${name}: ${t.error}`);
    console.log(`training page [${t.backend}, preset ${name}, 4 × 64 tokens a step, ${trainSteps} steps]: ${Number(t.tokensPerSec).toFixed(0)} training tokens/s (${t.text})`);
    results.push({ config: `train-page-${name}`, backend: t.backend, trainTokensPerSec: Number(t.tokensPerSec) });
  }
  const probe = await context.newPage();
  await probe.goto(server.resolvedUrls.local[0]);
  const gpu = await probe.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    const info = adapter?.info ?? (await adapter?.requestAdapterInfo?.());
    return info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'none';
  });
  console.log(`WebGPU adapter: ${gpu || 'unnamed'}`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ adapter: gpu, results }, null, 2));
} finally {
  await context.close();
  server.httpServer.close();
  rmSync(tmp, { recursive: true, force: true });
}
