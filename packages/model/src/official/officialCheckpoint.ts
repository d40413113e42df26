// Official TokenFormer checkpoints (GPT-NeoX `pytorch_model.bin`, or safetensors with the official
// key names) ↔ our models. Import streams one storage at a time into float32 tensors; export
// writes a `torch.save` zip that GPT-NeoX loads with `load_state_dict`, one tensor at a time.
import * as tf from '@tensorflow/tfjs-core';
import { checkFitsBackend } from '../backendChecks.js';
import { TokenFormer } from '../model.js';
import { tensorShapes } from '../weights.js';
import type { TokenFormerConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import { checkFinite } from '../safetensors.js';
import type { ByteSource } from '../byteSource.js';
import { configFromOfficial, neoxArgsFromConfig, type NeoxArgsOptions } from './officialConfig.js';
import { isOfficialBuffer, officialNamePairs } from './officialNames.js';
import { stateDictPickle } from './pickleWriter.js';
import { readTorchStateDict, tensorToFloat32, type TorchFileFormat } from './torchFile.js';
import type { StorageRef, TensorRef } from './torchPickle.js';
import { ZipWriter, type ByteSink, type ZipWriterOptions } from './zipWriter.js';

export interface ImportedTensor {
  /** Our name (a checkpoint's safetensors key). */
  name: string;
  /** The official state-dict key. */
  officialName: string;
  shape: number[];
  values: Float32Array;
}

export interface OfficialCheckpoint {
  format: TorchFileFormat;
  config: TokenFormerConfig;
  /** Every tensor once, converted to float32, one storage read at a time (shared storages are read once). */
  tensors(): AsyncGenerator<ImportedTensor>;
}

/**
 * Opens an official state dict: reads its index, maps every key to ours, infers the config from
 * the shapes and checks it against the GPT-NeoX arguments. Nothing but the index is read yet.
 */
export async function openOfficialCheckpoint(source: ByteSource, neoxArgs: unknown): Promise<OfficialCheckpoint> {
  const stateDict = await readTorchStateDict(source);
  const shapes = new Map([...stateDict.tensors].map(([name, t]) => [name, t.shape]));
  const config = configFromOfficial(shapes, neoxArgs);
  const expected = tensorShapes(config);
  const ours = new Map<string, string>();
  for (const [name, official] of officialNamePairs(config.numLayers)) {
    const tensor = stateDict.tensors.get(official);
    const shape = expected.get(name)!;
    if (!tensor) throw new CheckpointError(`the official checkpoint lacks ${official} [${shape}]`);
    if (tensor.shape.length !== shape.length || tensor.shape.some((s, i) => s !== shape[i])) {
      throw new CheckpointError(`${official} is [${tensor.shape}], the config needs [${shape}]`);
    }
    ours.set(official, name);
  }
  for (const name of stateDict.tensors.keys()) {
    if (!ours.has(name) && !isOfficialBuffer(name)) throw new CheckpointError(`the official checkpoint has ${name}, which a TokenFormer does not use`);
  }
  async function* tensors(): AsyncGenerator<ImportedTensor> {
    const byStorage = new Map<StorageRef, [string, TensorRef][]>();
    for (const [official, tensor] of stateDict.tensors) {
      if (!ours.has(official)) continue;
      const list = byStorage.get(tensor.storage) ?? [];
      list.push([official, tensor]);
      byStorage.set(tensor.storage, list);
    }
    for (const [storage, list] of byStorage) {
      const bytes = await stateDict.readStorage(storage);
      for (const [official, tensor] of list) {
        yield { name: ours.get(official)!, officialName: official, shape: tensor.shape, values: checkFinite(tensorToFloat32(tensor, bytes), official) };
      }
    }
  }
  return { format: stateDict.format, config, tensors };
}

/** Imports an official checkpoint into a model on the active backend (refused up front if it cannot fit). */
export async function importOfficial(source: ByteSource, neoxArgs: unknown): Promise<TokenFormer> {
  const checkpoint = await openOfficialCheckpoint(source, neoxArgs);
  checkFitsBackend(checkpoint.config);
  const weights = new Map<string, tf.Tensor>();
  try {
    for await (const t of checkpoint.tensors()) weights.set(t.name, tf.tensor(t.values, t.shape, 'float32'));
    return new TokenFormer(checkpoint.config, { weights });
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}

export interface ExportOptions extends NeoxArgsOptions, ZipWriterOptions {
  /** The zip's top folder (torch names it after the file; any name loads). */
  archiveName?: string;
}

/**
 * Writes the model as the official state dict (a `torch.save` zip, float32, GPT-NeoX key names)
 * to `sink`, reading one variable back at a time; returns the GPT-NeoX arguments that rebuild it.
 */
export async function exportOfficial(model: TokenFormer, sink: ByteSink, options: ExportOptions = {}): Promise<Record<string, unknown>> {
  const neoxArgs = neoxArgsFromConfig(model.config, options);
  const variables = model.namedVariables();
  const shapes = tensorShapes(model.config);
  const pairs = officialNamePairs(model.config.numLayers);
  const zip = new ZipWriter(sink, options);
  const prefix = `${options.archiveName ?? 'archive'}/`;
  await zip.add(`${prefix}data.pkl`, stateDictPickle(pairs.map(([ours, official]) => ({ name: official, shape: shapes.get(ours)! }))));
  for (let i = 0; i < pairs.length; i++) {
    const { variable, transposed } = variables.get(pairs[i]![0])!;
    const tensor = transposed ? tf.transpose(variable) : variable; // [n, d] for key tokens
    const values = (await tensor.data()) as Float32Array;
    if (tensor !== variable) tensor.dispose();
    await zip.add(`${prefix}data/${i}`, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  await zip.add(`${prefix}version`, new TextEncoder().encode('3\n'));
  await zip.add(`${prefix}byteorder`, new TextEncoder().encode('little'));
  await zip.finish();
  return neoxArgs;
}
