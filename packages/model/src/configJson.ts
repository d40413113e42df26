// config.json of a checkpoint directory: our TokenFormerConfig with `"format": "tokenformer-ts/1"`.
// Unknown keys are errors (at the top level and inside each layer's slots).
import { CONFIG_FORMAT, SLOT_NAMES, validateConfig, type TokenFormerConfig } from './config.js';
import { ConfigError } from './errors.js';

const TOP_KEYS = [
  'format', 'vocabSize', 'hiddenSize', 'numLayers', 'numAttentionHeads', 'layers', 'rotaryPct',
  'rotaryEmbBase', 'maxSeqLen', 'normActivationType', 'layerNormEps', 'initMethodStd',
] as const;
const SLOT_KEYS = ['paramTokenNum', 'tau'];

function rejectUnknown(obj: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new ConfigError(`unknown key ${JSON.stringify(key)} in ${where}; known keys: ${known.join(', ')}`);
  }
}

/** The JSON object written as config.json. */
export function configToJson(config: TokenFormerConfig): Record<string, unknown> {
  return { format: CONFIG_FORMAT, ...structuredClone(config) };
}

/** Reads config.json's object (or its text): checks the format tag, rejects unknown keys, validates. */
export function configFromJson(json: string | unknown): TokenFormerConfig {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new ConfigError(`config.json is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ConfigError('config.json is not a JSON object');
  const record = obj as Record<string, unknown>;
  if (record.format !== CONFIG_FORMAT) {
    throw new ConfigError(`config.json format is ${JSON.stringify(record.format)}, expected ${JSON.stringify(CONFIG_FORMAT)}`);
  }
  rejectUnknown(record, TOP_KEYS, 'config.json');
  for (const key of TOP_KEYS) {
    if (!(key in record)) throw new ConfigError(`config.json lacks ${key}`);
  }
  if (!Array.isArray(record.layers)) throw new ConfigError('config.json layers is not a list');
  record.layers.forEach((layer: unknown, i: number) => {
    if (typeof layer !== 'object' || layer === null) throw new ConfigError(`layers[${i}] is not an object`);
    rejectUnknown(layer as Record<string, unknown>, SLOT_NAMES, `layers[${i}]`);
    for (const slot of SLOT_NAMES) {
      const value = (layer as Record<string, unknown>)[slot];
      if (typeof value !== 'object' || value === null) throw new ConfigError(`layers[${i}].${slot} is missing`);
      rejectUnknown(value as Record<string, unknown>, SLOT_KEYS, `layers[${i}].${slot}`);
      if (!('tau' in value)) throw new ConfigError(`layers[${i}].${slot}.tau is missing (null means sqrt(n))`);
    }
  });
  const { format: _format, ...config } = record;
  return validateConfig(config as unknown as TokenFormerConfig);
}
