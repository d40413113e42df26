// The training page (?mode=train): the form and the URL (settings.ts), a Web Worker that trains
// (worker.ts), and what it reports drawn live: loss and learning-rate curves, tokens/s, ETA, held-out
// losses, growth. #train carries the state for scripts and tests (DESIGN.md's page contract):
// data-state (loading | training | done | error), data-backend, data-step, data-losses, data-valid,
// data-grow, data-error; and data-paused, data-storage, data-checkpoint (the last step saved),
// data-resumed-from, data-tokens-per-sec (training tokens/s after the first two steps), data-tensors
// ([step, live tensors] of this visit: flat in a healthy run).
import { PRESET_NAMES } from '@tokenformer/model';
import { checkpointBase, fetchOk } from '../load.js';
import { drawChart } from './chart.js';
import type { TextFile } from './corpus.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { GrowRecord } from './session.js';
import { readTrainSettings, trainQuery, type TrainSettings } from './settings.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const train = $<HTMLDivElement>('train');
const stats = $<HTMLDivElement>('t-stats');
const buttons = { start: $<HTMLButtonElement>('t-start'), pause: $<HTMLButtonElement>('t-pause'), resume: $<HTMLButtonElement>('t-continue'), stop: $<HTMLButtonElement>('t-stop'), grow: $<HTMLButtonElement>('t-grow'), download: $<HTMLButtonElement>('download'), sample: $<HTMLButtonElement>('t-sample') };
/** Form field id -> URL key (the same reader checks both). */
const FIELDS: [string, string][] = [['t-vocab', 'vocab'], ['t-steps', 'steps'], ['t-batch', 'batch'], ['t-seq', 'seq'], ['t-lr', 'lr'], ['t-seed', 'seed'], ['t-grow-at', 'grow_at'], ['t-add-qkv', 'add_qkv'], ['t-add-proj', 'add_proj'], ['t-add-ffn', 'add_ffn']];

let settings: TrainSettings;
let worker: Worker;
let losses: number[] = [];
let lrs: number[] = [];
let valid: [number, number][] = [];
let grows: GrowRecord[] = [];
let steps = 0;
let tokens = 0;
let seconds = 0;
let stepsSeen = 0;
/** [step, live tensors after it] of this visit. */
let tensors: [number, number][] = [];

function set(attrs: Record<string, string>): void {
  for (const [k, v] of Object.entries(attrs)) train.dataset[k] = v;
}

function fail(message: string): void {
  set({ state: 'error', error: message });
  train.textContent = message;
  for (const b of [buttons.pause, buttons.resume, buttons.stop, buttons.grow]) b.disabled = true;
  buttons.start.disabled = false;
}

function draw(): void {
  const markers = grows.map((g) => g.step);
  drawChart($('loss-chart') as unknown as SVGSVGElement, [
    { label: 'training loss', color: '#2456c8', points: losses.map((l, i) => [i + 1, l]) },
    { label: 'held-out loss', color: '#c82424', dots: true, points: valid },
  ], markers, steps);
  drawChart($('lr-chart') as unknown as SVGSVGElement, [{ label: 'learning rate', color: '#3a8a3a', points: lrs.map((l, i) => [i + 1, l]) }], markers, steps);
}

function showGrow(): void {
  const g = grows[grows.length - 1];
  set({ grow: JSON.stringify(g ?? null) });
  $('t-grow-info').textContent = grows.map((r) => `grew at step ${r.step}: ${r.paramsBefore.toLocaleString('en')} → ${r.paramsAfter.toLocaleString('en')} parameters; held-out loss ${r.lossBefore.toFixed(5)} before, ${r.lossAfter.toFixed(5)} after; largest logit change ${r.maxLogitChange.toExponential(2)}`).join('\n');
}

function readFiles(input: HTMLInputElement): Promise<TextFile[]> {
  return Promise.all(Array.from(input.files ?? []).map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** The form as a query, read by the same checks as the URL. */
function formSettings(): TrainSettings {
  const p = new URLSearchParams({ mode: 'train', backend: settings.backend });
  for (const [id, key] of FIELDS) if ($<HTMLInputElement>(id).value !== '') p.set(key, $<HTMLInputElement>(id).value);
  const model = $<HTMLInputElement>('t-model').value;
  if (model) p.set('model', model);
  else p.set('preset', $<HTMLSelectElement>('t-preset').value);
  const text = $<HTMLInputElement>('t-text').value;
  if (text) p.set('text', text);
  return readTrainSettings(`?${p.toString()}`);
}

function showForm(s: TrainSettings): void {
  const select = $<HTMLSelectElement>('t-preset');
  select.replaceChildren(...PRESET_NAMES.map((n) => new Option(n, n, false, n === s.preset)));
  const values: Record<string, number> = { vocab: s.vocab, steps: s.steps, batch: s.batch, seq: s.seq, lr: s.lr, seed: s.seed, grow_at: s.growAt, add_qkv: s.addQkv, add_proj: s.addProj, add_ffn: s.addFfn };
  for (const [id, key] of FIELDS) $<HTMLInputElement>(id).value = String(values[key]);
  $<HTMLInputElement>('t-model').value = s.model ?? '';
  $<HTMLInputElement>('t-text').value = s.text ?? '';
}

/** A file at `url` (relative to the page) as the worker takes it: its name and bytes. */
async function fetchFile(url: URL, name = url.pathname.split('/').pop() || 'text.txt'): Promise<TextFile> {
  return { name, bytes: new Uint8Array(await (await fetchOk(url.href)).arrayBuffer()) };
}

function fetchCheckpoint(url: string): Promise<TextFile[]> {
  const base = checkpointBase(url);
  return Promise.all(['config.json', 'model.safetensors', 'tokenizer.json'].map((name) => fetchFile(new URL(name, base), name)));
}

async function start(s: TrainSettings): Promise<void> {
  settings = s;
  losses = [];
  lrs = [];
  valid = [];
  grows = [];
  steps = s.steps;
  set({ state: 'loading', step: '0', losses: '[]', valid: '[]', grow: 'null', error: '', paused: '0' });
  $('saved-run').hidden = true;
  buttons.start.disabled = true;
  $<HTMLInputElement>('t-link').value = `${location.origin}${location.pathname}${trainQuery(s)}`;
  const files = [...(await readFiles($('t-files'))), ...(s.text ? [await fetchFile(new URL(s.text, location.href))] : [])];
  const checkpoint = s.model ? await fetchCheckpoint(s.model) : await readFiles($('t-checkpoint'));
  const msg: ToWorker = { type: 'start', settings: s, files, pasted: $<HTMLTextAreaElement>('t-pasted').value, checkpoint };
  worker.postMessage(msg, [...files, ...checkpoint].map((f) => f.bytes.buffer));
}

function onMessage(m: FromWorker): void {
  switch (m.type) {
    case 'backend':
      set({ backend: m.backend, storage: m.storage });
      stats.textContent = `backend: ${m.backend} · kernels of ours: ${m.kernels.length} · saved to ${m.storage}`;
      return;
    case 'phase':
      train.textContent = `${m.text}…`;
      return;
    case 'saved': {
      if (m.run === null) {
        if (settings.run) void start(settings).catch((e: Error) => fail(e.message));
        else set({ state: 'done' });
        return;
      }
      $('saved-run').hidden = false;
      $('saved-text').textContent = `A run is saved in this browser at step ${m.run.step} of ${m.run.steps} (${m.run.backend}). `;
      if (settings.resume) worker.postMessage({ type: 'resume' } satisfies ToWorker);
      else if (settings.run) {
        worker.postMessage({ type: 'discard' } satisfies ToWorker);
        void start(settings).catch((e: Error) => fail(e.message));
      } else set({ state: 'done' });
      return;
    }
    case 'started':
      ({ losses, lrs, valid, grows } = m.state);
      settings = m.state.settings;
      steps = settings.steps;
      stepsSeen = 0;
      tensors = [];
      tokens = 0;
      seconds = 0;
      $('saved-run').hidden = true;
      showForm(settings);
      set({ step: String(m.state.step), losses: JSON.stringify(losses), valid: JSON.stringify(valid), ...(m.resumed ? { resumedFrom: String(m.state.step) } : {}) });
      showGrow();
      train.textContent = `${m.resumed ? 'Resumed' : 'Training'}: ${m.summary}.`;
      buttons.start.disabled = true;
      for (const b of [buttons.grow, buttons.download, buttons.sample]) b.disabled = false;
      draw();
      return;
    case 'step': {
      losses.push(m.loss);
      lrs.push(m.lr);
      if (++stepsSeen > 2) {
        // the pace after the first two steps of this visit (those compile the shaders)
        tokens += settings.batch * settings.seq;
        seconds += (settings.batch * settings.seq) / m.tokensPerSec;
      }
      tensors.push([m.step, m.numTensors]);
      set({ step: String(m.step), losses: JSON.stringify(losses), tensors: JSON.stringify(tensors), ...(seconds > 0 ? { tokensPerSec: (tokens / seconds).toFixed(1) } : {}) });
      stats.textContent = `${train.dataset.backend} · step ${m.step} of ${m.steps} · loss ${m.loss.toFixed(4)}${m.skipped ? ' (skipped: not finite)' : ''} · lr ${m.lr.toExponential(2)} · ${m.tokensPerSec.toFixed(0)} tokens/s · ETA ${Math.ceil(m.eta)} s`;
      draw();
      return;
    }
    case 'valid':
      valid = [...valid.filter(([s]) => s !== m.step), [m.step, m.loss]];
      set({ valid: JSON.stringify(valid) });
      draw();
      return;
    case 'grow':
      grows.push(m.record);
      showGrow();
      draw();
      return;
    case 'checkpoint':
      set({ checkpoint: String(m.step) });
      return;
    case 'state': {
      const active = m.state === 'training';
      buttons.pause.disabled = !active;
      buttons.stop.disabled = !active;
      buttons.resume.disabled = m.state !== 'paused';
      buttons.start.disabled = active;
      set({ paused: m.state === 'paused' ? '1' : '0', state: active || m.state === 'paused' ? 'training' : 'done' });
      return;
    }
    case 'sample':
      $('t-sample-out').textContent = m.text;
      buttons.sample.disabled = false;
      return;
    case 'zip': {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([m.bytes as unknown as ArrayBuffer], { type: 'application/zip' }));
      a.download = m.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      buttons.download.disabled = false;
      return;
    }
    case 'error':
      fail(m.message);
  }
}

const post = (m: ToWorker) => worker.postMessage(m);
const add = () => ({ qkv: Number($<HTMLInputElement>('t-add-qkv').value) || 0, proj: Number($<HTMLInputElement>('t-add-proj').value) || 0, ffn: Number($<HTMLInputElement>('t-add-ffn').value) || 0 });

export function startTrainPage(): void {
  $('train-section').hidden = false;
  for (const id of ['model-section', 'generate-section']) $(id).hidden = true;
  try {
    settings = readTrainSettings(location.search);
  } catch (e) {
    fail((e as Error).message);
    return;
  }
  showForm(settings);
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => fail(`the training worker failed: ${e.message}`);
  post({ type: 'init', storage: new URLSearchParams(location.search).get('storage') === 'indexeddb' ? 'indexeddb' : 'opfs' });
  post({ type: 'saved' });
  buttons.start.onclick = () => {
    try {
      const s = formSettings();
      post({ type: 'discard' });
      void start(s).catch((e: Error) => fail(e.message));
    } catch (e) {
      fail((e as Error).message);
    }
  };
  $('resume-saved').onclick = () => post({ type: 'resume' });
  $('discard-saved').onclick = () => {
    post({ type: 'discard' });
    $('saved-run').hidden = true;
  };
  buttons.pause.onclick = () => post({ type: 'pause' });
  buttons.resume.onclick = () => post({ type: 'continue' });
  buttons.stop.onclick = () => post({ type: 'stop' });
  buttons.grow.onclick = () => post({ type: 'grow', add: add() });
  buttons.download.onclick = () => {
    buttons.download.disabled = true;
    post({ type: 'download', optimizer: $<HTMLInputElement>('t-optimizer').checked });
  };
  buttons.sample.onclick = () => {
    buttons.sample.disabled = true;
    post({ type: 'sample', prompt: $<HTMLInputElement>('t-prompt').value, maxNewTokens: 48 });
  };
}
