// The training page's settings from its URL (DESIGN.md's page contract):
// ?mode=train&model=URL|preset=NAME&text=URL&vocab=N&steps=N&batch=N&seq=N&lr=X&seed=S&grow_at=K
// &add_qkv=N&add_proj=N&add_ffn=N&backend=webgpu|wasm&run=1, plus valid_every, checkpoint_every and
// resume=1 (continue the run saved in this browser instead of asking).
import { PRESET_NAMES, type PresetName } from '@tokenformer/model';
import { SettingsError, type PageBackend } from '../params.js';

export interface TrainSettings {
  /** A checkpoint directory URL to start from (its tokenizer.json too), or: */
  model?: string;
  /** a preset to start from scratch with a tokenizer trained on the text (default `tiny`). */
  preset: PresetName;
  /** The text to train on (a .txt, .jsonl or .gz URL); the page's fields and picked files otherwise. */
  text?: string;
  /** Vocabulary of the BPE tokenizer trained from scratch. */
  vocab: number;
  steps: number;
  batch: number;
  seq: number;
  lr: number;
  seed: number;
  /** Grow after this step (0: not by the URL; the grow button still can). */
  growAt: number;
  addQkv: number;
  addProj: number;
  addFfn: number;
  /** Held-out loss every N steps (and at the last). */
  validEvery: number;
  /** Saved to the browser's storage every N steps (and at growth, pause, stop and the end). */
  checkpointEvery: number;
  backend: PageBackend;
  run: boolean;
  resume: boolean;
}

export const TRAIN_DEFAULTS: TrainSettings = {
  preset: 'tiny', vocab: 512, steps: 200, batch: 4, seq: 64, lr: 3e-3, seed: 1, growAt: 0, addQkv: 0, addProj: 0, addFfn: 0,
  validEvery: 20, checkpointEvery: 20, backend: 'webgpu', run: false, resume: false,
};

/** The URL keys of the settings that are numbers, with their limits. */
const NUMBERS: [keyof TrainSettings, string, (n: number) => boolean, string][] = [
  ['vocab', 'vocab', (n) => Number.isInteger(n) && n >= 258 && n <= 65536, 'an integer in [258, 65536] (256 bytes, <|endoftext|> and merges)'],
  ['steps', 'steps', (n) => Number.isInteger(n) && n >= 1 && n <= 1e7, 'an integer in [1, 10000000]'],
  ['batch', 'batch', (n) => Number.isInteger(n) && n >= 1 && n <= 1024, 'an integer in [1, 1024]'],
  ['seq', 'seq', (n) => Number.isInteger(n) && n >= 2 && n <= 8192, 'an integer in [2, 8192] (and at most the model\'s context)'],
  ['lr', 'lr', (n) => n > 0 && n <= 1, 'a number in (0, 1]'],
  ['seed', 'seed', (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31, 'an integer in [0, 2^31)'],
  ['growAt', 'grow_at', (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0 (0: no growth)'],
  ['addQkv', 'add_qkv', (n) => Number.isInteger(n) && n >= 0 && n <= 65536, 'an integer in [0, 65536]'],
  ['addProj', 'add_proj', (n) => Number.isInteger(n) && n >= 0 && n <= 65536, 'an integer in [0, 65536]'],
  ['addFfn', 'add_ffn', (n) => Number.isInteger(n) && n >= 0 && n <= 65536, 'an integer in [0, 65536]'],
  ['validEvery', 'valid_every', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'],
  ['checkpointEvery', 'checkpoint_every', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'],
];

/** Reads and checks the training settings; a bad value is a SettingsError naming it and the limit. */
export function readTrainSettings(search: string): TrainSettings {
  const p = new URLSearchParams(search);
  const s: TrainSettings = { ...TRAIN_DEFAULTS };
  for (const [key, name, ok, limit] of NUMBERS) {
    const raw = p.get(name);
    if (raw === null || raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || !ok(n)) throw new SettingsError(`${name}=${raw} must be ${limit}`);
    (s as unknown as Record<string, number>)[key] = n;
  }
  const backend = p.get('backend') ?? TRAIN_DEFAULTS.backend;
  if (backend !== 'webgpu' && backend !== 'wasm') throw new SettingsError(`backend=${backend} must be webgpu or wasm`);
  s.backend = backend;
  const preset = p.get('preset');
  if (preset !== null && preset !== '') {
    if (!(PRESET_NAMES as string[]).includes(preset)) throw new SettingsError(`preset=${preset} must be one of ${PRESET_NAMES.join(', ')}`);
    s.preset = preset as PresetName;
  }
  const model = p.get('model');
  if (model) {
    if (preset) throw new SettingsError('give model= (a checkpoint to train on) or preset= (a fresh model), not both');
    s.model = model;
  }
  const text = p.get('text');
  if (text) s.text = text;
  if (s.growAt > 0) {
    if (s.growAt >= s.steps) throw new SettingsError(`grow_at=${s.growAt} must be below steps=${s.steps} (grow after a step, then train on)`);
    if (s.addQkv + s.addProj + s.addFfn === 0) throw new SettingsError(`grow_at=${s.growAt} needs add_qkv, add_proj or add_ffn > 0 (tokens to add per Pattention)`);
  }
  s.run = p.get('run') === '1';
  s.resume = p.get('resume') === '1';
  return s;
}

/** The query that reproduces these settings (the page's "link to this run"). */
export function trainQuery(s: TrainSettings): string {
  const p = new URLSearchParams({ mode: 'train' });
  if (s.model) p.set('model', s.model);
  else p.set('preset', s.preset);
  if (s.text) p.set('text', s.text);
  for (const [key, name] of NUMBERS) if (s[key] !== TRAIN_DEFAULTS[key]) p.set(name, String(s[key]));
  if (s.backend !== TRAIN_DEFAULTS.backend) p.set('backend', s.backend);
  return `?${p.toString()}`;
}
