// The page's settings from its URL (shareable links): ?model=URL&tokenizer=URL&prompt=TEXT
// &max_new_tokens=N&temperature=T&top_k=K&top_p=P&seed=S&stop=TOKENS&backend=webgpu|wasm&run=1.
// Names follow the generation options of the API and the CLIs.
import type { GenerationSettings } from '@tokenformer/model';

export type PageBackend = 'webgpu' | 'wasm';

export interface PageSettings extends GenerationSettings {
  /** The checkpoint directory's URL (config.json + model.safetensors inside). */
  model?: string;
  /** tokenizer.json's URL; default: the checkpoint's own tokenizer.json. */
  tokenizer?: string;
  prompt: string;
  /** Tokens (as text, comma-separated) that end generation; `<|endoftext|>` by default. */
  stop: string[];
  backend: PageBackend;
  /** Start generating as soon as the model is loaded. */
  run: boolean;
}

export const DEFAULTS: PageSettings = { prompt: 'The', maxNewTokens: 64, temperature: 0.8, topK: 0, topP: 1, stop: ['<|endoftext|>'], backend: 'webgpu', run: false };

export class SettingsError extends Error {
  override name = 'SettingsError';
}

function number(params: URLSearchParams, key: string, fallback: number, check: (n: number) => boolean, limit: string): number {
  const raw = params.get(key);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new SettingsError(`${key}=${raw} must be ${limit}`);
  return n;
}

/** Reads and checks the settings; a bad value is a SettingsError naming it and the limit. */
export function readSettings(search: string): PageSettings {
  const p = new URLSearchParams(search);
  const backend = p.get('backend') ?? DEFAULTS.backend;
  if (backend !== 'webgpu' && backend !== 'wasm') throw new SettingsError(`backend=${backend} must be webgpu or wasm`);
  const seed = p.get('seed');
  const model = p.get('model');
  const tokenizer = p.get('tokenizer');
  return {
    ...(model ? { model } : {}),
    ...(tokenizer ? { tokenizer } : {}),
    prompt: p.get('prompt') ?? DEFAULTS.prompt,
    maxNewTokens: number(p, 'max_new_tokens', DEFAULTS.maxNewTokens, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    temperature: number(p, 'temperature', DEFAULTS.temperature, (n) => n >= 0, '>= 0 (0 = greedy)'),
    topK: number(p, 'top_k', DEFAULTS.topK, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0 (0 = off)'),
    topP: number(p, 'top_p', DEFAULTS.topP, (n) => n > 0 && n <= 1, 'in (0, 1]'),
    ...(seed !== null && seed !== '' ? { seed: number(p, 'seed', 0, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0') } : {}),
    stop: p.has('stop') ? p.get('stop')!.split(',').filter((s) => s.length > 0) : DEFAULTS.stop,
    backend,
    run: p.get('run') === '1',
  };
}

/** The URL query that reproduces these settings (the page's "link to this" field). */
export function settingsQuery(s: PageSettings): string {
  const p = new URLSearchParams();
  if (s.model) p.set('model', s.model);
  if (s.tokenizer) p.set('tokenizer', s.tokenizer);
  p.set('prompt', s.prompt);
  p.set('max_new_tokens', String(s.maxNewTokens));
  p.set('temperature', String(s.temperature));
  p.set('top_k', String(s.topK));
  p.set('top_p', String(s.topP));
  if (s.seed !== undefined) p.set('seed', String(s.seed));
  p.set('stop', s.stop.join(','));
  p.set('backend', s.backend);
  return `?${p.toString()}`;
}
