// Node-only checkpoint directories: `config.json` + `model.safetensors` (+ optional extra files
// such as tokenizer.json), written to a temporary sibling directory and renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deserializeCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import type { TokenFormer } from './model.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a checkpoint directory into a model. */
export async function loadCheckpoint(dir: string): Promise<TokenFormer> {
  const read = async (file: string) => {
    try {
      return await readFile(join(dir, file));
    } catch (e) {
      throw new CheckpointError(`cannot read ${join(dir, file)}: ${(e as Error).message}`);
    }
  };
  const config = (await read(CONFIG_FILE)).toString('utf8');
  const weights = await read(WEIGHTS_FILE);
  return deserializeCheckpoint(config, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
}

export interface SaveOptions {
  /** More files to write beside the weights (e.g. `{ 'tokenizer.json': text }`). */
  extraFiles?: Record<string, string | Uint8Array>;
}

/**
 * Writes `dir` atomically: everything goes to a temporary sibling, is synced, then renamed into
 * place. An existing `dir` is replaced (moved aside, then removed), so readers see either the
 * old or the new checkpoint, never a half-written one.
 */
export async function saveCheckpoint(model: TokenFormer, dir: string, options: SaveOptions = {}): Promise<void> {
  const { config, weights } = await serializeCheckpoint(model);
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${suffix}`);
  await mkdir(tmp);
  try {
    await writeFileSynced(join(tmp, WEIGHTS_FILE), weights);
    for (const [file, data] of Object.entries(options.extraFiles ?? {})) {
      if (file.includes('/') || file === CONFIG_FILE || file === WEIGHTS_FILE) {
        throw new CheckpointError(`extra file name ${JSON.stringify(file)} is not allowed`);
      }
      await writeFileSynced(join(tmp, file), data);
    }
    await writeFileSynced(join(tmp, CONFIG_FILE), config);
    const exists = await stat(dir).then(() => true, () => false);
    if (exists) {
      const old = join(parent, `.${basename(dir)}.old-${suffix}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
