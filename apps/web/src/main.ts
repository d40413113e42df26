// The page (inference; ?mode=train is the training page, train/page.ts): settings from the URL, the backend (WebGPU, or wasm when the user asks), a checkpoint
// from URLs or picked files, and streaming generation with the KV cache. #output carries
// data-state (loading | generating | done | error), data-backend, data-kernels (ours active on that
// backend; ?kernels=stock turns the WebGPU ones off, for comparisons) and data-ids for scripts and tests.
import { generateFromText } from '@tokenformer/evaluator';
import { activeKernels, NoWebGpuError, startBackend } from './backend.js';
import { loadFromFiles, loadFromUrls, type Loaded } from './load.js';
import { readSettings, settingsQuery, type PageSettings } from './params.js';
import { runBench } from './bench.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const output = $<HTMLPreElement>('output');
const status = $<HTMLDivElement>('status');
const stats = $<HTMLDivElement>('stats');
const notice = $<HTMLDivElement>('notice');
const progress = $<HTMLProgressElement>('progress');
const generateButton = $<HTMLButtonElement>('generate');
const fields = {
  model: $<HTMLInputElement>('model-url'),
  tokenizer: $<HTMLInputElement>('tokenizer-url'),
  prompt: $<HTMLTextAreaElement>('prompt'),
  maxNewTokens: $<HTMLInputElement>('max-new-tokens'),
  temperature: $<HTMLInputElement>('temperature'),
  topK: $<HTMLInputElement>('top-k'),
  topP: $<HTMLInputElement>('top-p'),
  seed: $<HTMLInputElement>('seed'),
  stop: $<HTMLInputElement>('stop'),
  link: $<HTMLInputElement>('link'),
};

let settings: PageSettings;
let loaded: Loaded | undefined;
let backend = '';

function setState(state: 'loading' | 'generating' | 'done' | 'error', text?: string): void {
  output.dataset.state = state;
  if (text !== undefined) output.textContent = text;
}

function fail(e: unknown): void {
  setState('error', (e as Error).message ?? String(e));
  status.textContent = 'Error.';
  progress.hidden = true;
}

function showSettings(s: PageSettings): void {
  fields.model.value = s.model ?? '';
  fields.tokenizer.value = s.tokenizer ?? '';
  fields.prompt.value = s.prompt;
  fields.maxNewTokens.value = String(s.maxNewTokens);
  fields.temperature.value = String(s.temperature);
  fields.topK.value = String(s.topK);
  fields.topP.value = String(s.topP);
  fields.seed.value = s.seed !== undefined ? String(s.seed) : '';
  fields.stop.value = s.stop.join(',');
}

/** The settings as the form now has them (checked through the same reader as the URL). */
function formSettings(): PageSettings {
  const p = new URLSearchParams({
    prompt: fields.prompt.value,
    max_new_tokens: fields.maxNewTokens.value,
    temperature: fields.temperature.value,
    top_k: fields.topK.value,
    top_p: fields.topP.value,
    seed: fields.seed.value,
    stop: fields.stop.value,
    backend: settings.backend,
  });
  if (fields.model.value) p.set('model', fields.model.value);
  if (fields.tokenizer.value) p.set('tokenizer', fields.tokenizer.value);
  return readSettings(`?${p.toString()}`);
}

function onProgress(done: number, total: number): void {
  progress.hidden = false;
  progress.value = total > 0 ? done / total : 0;
  status.textContent = `Loading weights: ${(done / 2 ** 20).toFixed(1)} of ${(total / 2 ** 20).toFixed(1)} MiB`;
}

async function load(how: () => Promise<Loaded>): Promise<void> {
  loaded?.model.dispose();
  loaded = undefined;
  generateButton.disabled = true;
  setState('loading', '');
  const t0 = performance.now();
  loaded = await how();
  progress.hidden = true;
  const c = loaded.model.config;
  status.textContent = `Loaded ${loaded.name}: ${loaded.model.countParams().toLocaleString('en')} parameters, ${c.numLayers} layers × ${c.hiddenSize}, vocabulary ${c.vocabSize}, context ${c.maxSeqLen}, on ${backend} in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
  generateButton.disabled = false;
}

async function generate(): Promise<void> {
  if (!loaded) throw new Error('load a model first');
  const s = formSettings();
  fields.link.value = `${location.origin}${location.pathname}${settingsQuery(s)}`;
  const { model, tokenizer } = loaded;
  const ids: number[] = [];
  let text = s.prompt;
  generateButton.disabled = true;
  setState('generating', text);
  output.dataset.ids = '[]';
  const t0 = performance.now();
  let first = 0;
  try {
    // the one text generation of the API and the CLIs (TokenFormerLM.generate, tokenformer generate)
    await generateFromText(model, tokenizer, s.prompt, {
      maxNewTokens: s.maxNewTokens,
      temperature: s.temperature,
      topK: s.topK,
      topP: s.topP,
      stop: s.stop,
      ...(s.seed !== undefined ? { seed: s.seed } : {}),
      onToken: (id) => {
        if (ids.length === 0) first = performance.now();
        ids.push(id);
        output.dataset.ids = JSON.stringify(ids);
        const decodeRate = ids.length > 1 ? (ids.length - 1) / ((performance.now() - first) / 1000) : 0;
        stats.textContent = `${backend} · ${ids.length} tokens · ${decodeRate.toFixed(1)} tokens/s (first token after ${((first - t0) / 1000).toFixed(2)} s)`;
      },
      onText: (piece) => {
        text += piece;
        output.textContent = text;
      },
    });
  } finally {
    generateButton.disabled = false;
  }
  setState('done');
}

async function main(): Promise<void> {
  settings = readSettings(location.search);
  showSettings(settings);
  fields.link.value = location.href;
  try {
    backend = await startBackend(settings.backend);
  } catch (e) {
    if (!(e instanceof NoWebGpuError)) throw e;
    notice.hidden = false;
    notice.innerHTML = '';
    notice.append(`${e.message} This page runs on WebGPU; it can run on the CPU with WebAssembly instead, more slowly. `);
    const button = document.createElement('button');
    button.id = 'use-wasm';
    button.textContent = 'Use the wasm backend';
    button.onclick = () => {
      const p = new URLSearchParams(location.search);
      p.set('backend', 'wasm');
      location.search = p.toString();
    };
    notice.append(button);
    output.dataset.backend = 'none';
    throw e;
  }
  output.dataset.backend = backend;
  const kernels = activeKernels(new URLSearchParams(location.search).get('kernels'));
  output.dataset.kernels = JSON.stringify(kernels);
  stats.textContent = `backend: ${backend} · kernels of ours: ${kernels.length ? kernels.map((k) => k.replace(/^TokenFormer/, '')).join(', ') : 'none'}`;
  // A load the user starts ends in 'done'; one the URL starts goes on to generate (or bench) first.
  $<HTMLButtonElement>('load-url').onclick = () =>
    load(() => loadFromUrls(fields.model.value, fields.tokenizer.value || undefined, onProgress)).then(() => setState('done', ''), fail);
  $<HTMLInputElement>('files').onchange = (ev) => {
    const files = (ev.target as HTMLInputElement).files;
    if (files && files.length > 0) load(() => loadFromFiles(files, onProgress)).then(() => setState('done', ''), fail);
  };
  generateButton.onclick = () => generate().catch(fail);
  if (!settings.model) {
    setState('done', '');
    status.textContent = 'No model loaded: give a checkpoint URL or pick its files.';
    return;
  }
  await load(() => loadFromUrls(settings.model!, settings.tokenizer, onProgress));
  if (new URLSearchParams(location.search).has('bench')) {
    setState('generating', 'benchmark running');
    output.dataset.bench = JSON.stringify(await runBench(loaded!.model, settings, backend, kernels));
    setState('done', output.dataset.bench);
  } else if (settings.run) await generate();
  else setState('done', '');
}

if (new URLSearchParams(location.search).get('mode') === 'train') {
  // the training page: its own module (and worker), loaded only in that mode
  import('./train/page.js').then((m) => m.startTrainPage(), fail);
} else main().catch(fail);
