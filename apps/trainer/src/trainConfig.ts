// The train command's configuration: one typed object with defaults, read from a JSON or YAML file
// and `--key=value` overrides (`--model.hiddenSize=64` for a model field). Unknown keys are errors.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_RUN_SETTINGS, type RunSettings } from '@tokenformer/trainer/node';

/** The model: a preset name, or the official uniform sizes (vocabulary from the tokenizer). */
export interface ModelSpec {
  preset?: string;
  hiddenSize?: number;
  numLayers?: number;
  numAttentionHeads?: number;
  qkvSlotNum?: number;
  projSlotNum?: number;
  ffnSlotNum?: number;
  maxSeqLen?: number;
  normActivationType?: 'l2_norm_gelu' | 'gelu_l2_norm' | 'softmax';
}

/** A growth step inside the run (growAt > 0): tokens to add to each layer's Pattentions, and how. */
export interface GrowthSettings {
  growQkv: number;
  growProj: number;
  growFfn: number;
  growInit: 'zero-keys' | 'random' | 'zero';
  growTau: 'exact' | 'official';
  growSeed: number;
}

export type TrainConfig = Omit<RunSettings, 'trainData' | 'validData'> & GrowthSettings & { model: ModelSpec };

/** The trainer package's run defaults (the official recipe), with this command's small-model schedule. */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  model: { hiddenSize: 128, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 128, projSlotNum: 128, ffnSlotNum: 512, maxSeqLen: 256 },
  ...DEFAULT_RUN_SETTINGS,
  seqLength: 128,
  steps: 300,
  maxLr: 1.5e-3,
  minLr: 1.5e-4,
  warmupSteps: 20,
  validEvery: 50,
  growQkv: 0,
  growProj: 0,
  growFfn: 0,
  growInit: 'zero-keys',
  growTau: 'exact',
  growSeed: 1,
};

const MODEL_KEYS = ['preset', 'hiddenSize', 'numLayers', 'numAttentionHeads', 'qkvSlotNum', 'projSlotNum', 'ffnSlotNum', 'maxSeqLen', 'normActivationType'];

export class ConfigKeyError extends Error {
  override name = 'ConfigKeyError';
}

function set(config: Record<string, unknown>, key: string, value: unknown, where: string): void {
  const [head, sub] = key.split('.', 2) as [string, string | undefined];
  if (head === 'model' && sub !== undefined) {
    if (!MODEL_KEYS.includes(sub)) throw new ConfigKeyError(`${where}: unknown model key ${JSON.stringify(sub)} (known: ${MODEL_KEYS.join(', ')})`);
    (config.model as Record<string, unknown>)[sub] = value;
    return;
  }
  if (!(head in DEFAULT_TRAIN_CONFIG) || sub !== undefined) {
    throw new ConfigKeyError(`${where}: unknown key ${JSON.stringify(key)} (known: ${Object.keys(DEFAULT_TRAIN_CONFIG).join(', ')})`);
  }
  const expected = typeof (DEFAULT_TRAIN_CONFIG as unknown as Record<string, unknown>)[head];
  const steps = head === 'growAt' && Array.isArray(value) && value.every((v) => typeof v === 'number'); // growAt: a step or a list of steps
  if (head !== 'model' && typeof value !== expected && !steps) throw new ConfigKeyError(`${where}: ${key} = ${JSON.stringify(value)} should be a ${expected}`);
  if (head === 'model') {
    if (typeof value === 'string') config.model = { preset: value };
    else if (typeof value === 'object' && value !== null) {
      config.model = {};
      for (const [k, v] of Object.entries(value)) set(config, `model.${k}`, v, where);
    } else throw new ConfigKeyError(`${where}: model should be a preset name or an object`);
    return;
  }
  config[head] = value;
}

/** `base` (the defaults), then the file (JSON or YAML), then `--key=value` overrides (values parsed as JSON when they are). */
export function loadTrainConfig(file: string | undefined, overrides: Record<string, string>, base: TrainConfig = DEFAULT_TRAIN_CONFIG): TrainConfig {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigKeyError(`cannot read the train config ${file}: ${(e as Error).message}`); // EISDIR and ENOENT name no path themselves
    }
    const parsed: unknown = /\.ya?ml$/.test(file) ? parseYaml(text) : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new ConfigKeyError(`${file}: expected an object of settings`);
    for (const [k, v] of Object.entries(parsed)) set(config, k, v, file);
  }
  for (const [k, raw] of Object.entries(overrides)) {
    let v: unknown = raw;
    try {
      v = JSON.parse(raw);
    } catch {
      // a bare string, e.g. --schedule=cosine
    }
    set(config, k, v, `--${k}`);
  }
  return config as unknown as TrainConfig;
}
