// A checkpoint in memory: config.json text + model.safetensors bytes ↔ a TokenFormer.
// Browser-safe (no fs); the Node directory functions live in ./node.ts.
import * as tf from '@tensorflow/tfjs-core';
import { configFromJson, configToJson } from './configJson.js';
import { CheckpointError } from './errors.js';
import { checkFitsBackend } from './backendChecks.js';
import { TokenFormer } from './model.js';
import { checkFinite, indexSafetensors, parseSafetensors, safetensorsHeaderLength, serializeSafetensors, toFloat32, type SafetensorsEntry } from './safetensors.js';
import type { ByteSource } from './byteSource.js';

export interface CheckpointBytes {
  /** config.json's text. */
  config: string;
  /** model.safetensors' bytes. */
  weights: Uint8Array;
}

/** Serialises a model's config and weights (reads every variable back from the backend). */
export async function serializeCheckpoint(model: TokenFormer): Promise<CheckpointBytes> {
  const tensors = [];
  for (const [name, tensor] of model.exportWeights()) {
    tensors.push({ name, shape: tensor.shape, data: (await tensor.data()) as Float32Array });
    tensor.dispose();
  }
  return {
    config: `${JSON.stringify(configToJson(model.config), null, 2)}\n`,
    weights: serializeSafetensors(tensors, { format: 'pt' }),
  };
}

/**
 * Builds a model from config.json (text or object) and model.safetensors bytes. Every tensor the
 * config needs must be present with its shape, and no other; F32, F16, BF16 and F64 are accepted.
 */
export function deserializeCheckpoint(config: string | unknown, weights: Uint8Array): TokenFormer {
  const resolved = configFromJson(config);
  checkFitsBackend(resolved); // before any tensor is made
  const file = parseSafetensors(weights);
  const initial = new Map<string, tf.Tensor>();
  try {
    for (const [name, entry] of file.tensors) initial.set(name, tf.tensor(checkFinite(toFloat32(entry, name), name), entry.shape, 'float32'));
    return new TokenFormer(resolved, { weights: initial }); // checks names and shapes against the config
  } finally {
    for (const t of initial.values()) t.dispose();
  }
}

/** float32 values of bytes this code owns (a fresh read): viewed in place when possible, else converted. */
function ownedFloat32(entry: SafetensorsEntry, name: string): Float32Array {
  const { bytes } = entry;
  if (entry.dtype === 'F32' && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return toFloat32(entry, name);
}

/**
 * Builds a model from config.json and model.safetensors read piece by piece from `weights`: the
 * header, then one tensor at a time, so the file is never held whole (a Node file, a Blob).
 */
export async function deserializeCheckpointFromSource(config: string | unknown, weights: ByteSource): Promise<TokenFormer> {
  const resolved = configFromJson(config);
  checkFitsBackend(resolved);
  const n = safetensorsHeaderLength(await weights.read(0, 8), weights.size);
  const index = indexSafetensors(await weights.read(0, 8 + n), weights.size);
  const initial = new Map<string, tf.Tensor>();
  try {
    for (const [name, { dtype, shape, begin, end }] of index.tensors) {
      const bytes = (await weights.read(begin, end - begin)).slice(); // owned, so it may be viewed as float32
      initial.set(name, tf.tensor(checkFinite(ownedFloat32({ dtype, shape, bytes }, name), name), shape, 'float32'));
    }
    return new TokenFormer(resolved, { weights: initial });
  } finally {
    for (const t of initial.values()) t.dispose();
  }
}

/** Loads `config.json` and `model.safetensors` from a directory URL (browser or any fetch). */
export async function loadCheckpointFromUrl(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<TokenFormer> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (file: string) => {
    const res = await fetchImpl(new URL(file, base).toString());
    if (!res.ok) throw new CheckpointError(`GET ${base}${file} failed: ${res.status} ${res.statusText}`);
    return res;
  };
  const config = await (await get('config.json')).text();
  const weights = new Uint8Array(await (await get('model.safetensors')).arrayBuffer());
  return deserializeCheckpoint(config, weights);
}
