// The training worker: starts the backend (WebGPU with our kernels, or wasm), builds the session,
// and runs steps one at a time, so pause, stop, grow, sample and download are taken between two
// steps. Checkpoints go to the browser's storage; the page only draws.
import '@tensorflow/tfjs-core/dist/register_all_gradients'; // training needs tfjs's gradients
import * as tf from '@tensorflow/tfjs-core';
import { unzipCheckpoint, zipCheckpoint } from '@tokenformer/model';
import { activeKernels, startBackend } from '../backend.js';
import { documentsOf } from './corpus.js';
import type { Add, FromWorker, ToWorker } from './protocol.js';
import type { Session } from './session.js';
import { STATE_FILE } from './session.js';
import { newSession, resumeSession, savedRunState } from './start.js';
import type { TrainSettings } from './settings.js';
import { openRunStore, type Files, type RunStore } from './storage.js';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let session: Session | undefined;
let store: RunStore | undefined;
let storagePreference: 'opfs' | 'indexeddb' = 'opfs';
let saved: { data: Files; checkpoint: Files } | null | undefined;
let running = false;
let paused = false;
let stopping = false;
let growRequest: Add | undefined;
/** Operations on the session run one at a time (a step, a sample, a download). */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn);
  queue = next.catch(() => undefined);
  return next;
}

async function getStore(): Promise<RunStore> {
  store ??= await openRunStore(storagePreference);
  return store;
}

async function start(backend: TrainSettings['backend']): Promise<void> {
  const name = await startBackend(backend);
  post({ type: 'backend', backend: name, kernels: activeKernels(null), storage: (await getStore()).kind });
}

async function save(): Promise<void> {
  const files = await session!.checkpointFiles(true);
  await (await getStore()).saveCheckpoint(session!.state.step, files);
  post({ type: 'checkpoint', step: session!.state.step });
}

function summary(s: Session): string {
  const c = s.model.config;
  return `${s.model.countParams().toLocaleString('en')} parameters, ${c.numLayers} layers × ${c.hiddenSize}, vocabulary ${s.tokenizer.vocabSize()} (padded ${c.vocabSize}), context ${c.maxSeqLen}`;
}

async function growNow(add: Add): Promise<void> {
  const record = await session!.grow(add);
  post({ type: 'grow', record });
  await save(); // the grown model, at the same step
}

/** Steps until done, paused or stopped; validation, growth at grow_at and checkpoints on the way. */
async function loop(): Promise<void> {
  const s = session!;
  const { settings } = s.state;
  running = true;
  post({ type: 'state', state: 'training' });
  const recent: number[] = [];
  while (!s.done && !paused && !stopping) {
    await exclusive(async () => {
      const r = await s.step();
      recent.push(r.seconds);
      if (recent.length > 10) recent.shift();
      const pace = recent.reduce((a, b) => a + b, 0) / recent.length;
      post({ type: 'step', step: r.step, steps: settings.steps, loss: r.loss, lr: r.lr, gradNorm: r.gradNorm, skipped: r.skipped, tokensPerSec: r.tokens / r.seconds, eta: pace * (settings.steps - r.step), numTensors: tf.memory().numTensors });
      if (r.step % settings.validEvery === 0 || s.done) post({ type: 'valid', step: r.step, loss: await s.validate() });
      let savedNow = false;
      if (settings.growAt > 0 && r.step === settings.growAt && !s.state.grows.some((g) => g.step === settings.growAt)) {
        await growNow({ qkv: settings.addQkv, proj: settings.addProj, ffn: settings.addFfn });
        savedNow = true;
      }
      if (growRequest) {
        const add = growRequest;
        growRequest = undefined;
        await growNow(add);
        savedNow = true;
      }
      if (!savedNow && (r.step % settings.checkpointEvery === 0 || s.done)) await save();
    });
    await new Promise((resolve) => setTimeout(resolve, 0)); // let pause, stop and the rest in
  }
  running = false;
  if (!s.done) await exclusive(save);
  post({ type: 'state', state: s.done ? 'done' : stopping ? 'stopped' : 'paused' });
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'init':
      storagePreference = m.storage;
      return;
    case 'saved': {
      saved = await (await getStore()).load();
      const run = saved?.checkpoint.has(STATE_FILE) ? savedRunState(saved.checkpoint) : null;
      post({ type: 'saved', run: run ? { step: run.step, steps: run.settings.steps, backend: run.settings.backend } : null });
      return;
    }
    case 'discard':
      await (await getStore()).clear();
      saved = null;
      return;
    case 'start': {
      await start(m.settings.backend);
      const documents: string[] = m.pasted.length > 0 ? [m.pasted] : [];
      for (const f of m.files) documents.push(...(await documentsOf(f)));
      let checkpoint: Files | undefined;
      if (m.checkpoint.length === 1 && m.checkpoint[0]!.name.endsWith('.zip')) checkpoint = unzipCheckpoint(m.checkpoint[0]!.bytes, m.checkpoint[0]!.name);
      else if (m.checkpoint.length > 0) checkpoint = new Map(m.checkpoint.map((f) => [f.name, f.bytes]));
      const built = newSession({ settings: m.settings, documents, ...(checkpoint ? { checkpoint } : {}) }, (text) => post({ type: 'phase', text }));
      session = built.session;
      const st = await getStore();
      await st.clear();
      await st.saveData(built.data);
      post({ type: 'started', state: session.state, params: session.model.countParams(), summary: summary(session), resumed: false });
      post({ type: 'valid', step: 0, loss: await session.validate() });
      await loop();
      return;
    }
    case 'resume': {
      saved ??= await (await getStore()).load();
      if (!saved) throw new Error('no run is saved in this browser');
      const state = savedRunState(saved.checkpoint);
      await start(state.settings.backend);
      post({ type: 'phase', text: `resuming at step ${state.step}` });
      session = resumeSession(saved, state);
      saved = undefined;
      post({ type: 'started', state: session.state, params: session.model.countParams(), summary: summary(session), resumed: true });
      if (session.done) post({ type: 'state', state: 'done' });
      else await loop();
      return;
    }
    case 'pause':
      paused = true;
      return;
    case 'stop':
      stopping = true;
      if (session && !running && !session.done) post({ type: 'state', state: 'stopped' });
      return;
    case 'continue':
      if (!session || running || session.done) return;
      paused = false;
      stopping = false;
      await loop();
      return;
    case 'grow':
      if (!session) throw new Error('start a run first');
      if (running) growRequest = m.add; // between the next two steps
      else await exclusive(() => growNow(m.add));
      return;
    case 'sample': {
      const text = await exclusive(() => session!.sample(m.prompt, m.maxNewTokens, session!.state.step));
      post({ type: 'sample', text });
      return;
    }
    case 'download': {
      const files = await exclusive(() => session!.checkpointFiles(m.optimizer));
      files.delete(STATE_FILE); // the page's own run state stays in the browser
      const bytes = zipCheckpoint(Object.fromEntries(files));
      post({ type: 'zip', bytes, name: `tokenformer-step-${session!.state.step}.zip` }, [bytes.buffer]);
      return;
    }
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err: unknown) => {
    running = false;
    post({ type: 'error', message: (err as Error)?.message ?? String(err) });
  });
};
