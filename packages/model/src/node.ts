// Node-only checkpoint directories: `config.json` + `model.safetensors` (+ optional extra files
// such as tokenizer.json), written to a temporary sibling directory and renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deserializeCheckpointFromSource, serializeCheckpoint } from './checkpoint.js';
import { configToJson } from './configJson.js';
import type { TokenFormerConfig } from './config.js';
import { CheckpointError, TokenFormerError, TorchFileError } from './errors.js';
import type { TokenFormer } from './model.js';
import { tensorShapes } from './weights.js';
import { checkRange, type ByteSource } from './byteSource.js';
import { exportOfficial, openOfficialCheckpoint, type ExportOptions } from './official/officialCheckpoint.js';
import type { TorchFileFormat } from './official/torchFile.js';
import { safetensorsLayout } from './safetensors.js';
import { loadCheckpointFromZip } from './zip.js';
import { isZipFile } from './zipFile.js';

export { extractCheckpointZip, isZipFile } from './zipFile.js';

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

/**
 * Reads a checkpoint directory into a model (model.safetensors one tensor at a time, never whole),
 * or a zipped checkpoint directory (a `.zip` file, as the web page downloads it).
 */
export async function loadCheckpoint(dir: string): Promise<TokenFormer> {
  if (isZipFile(dir)) return loadCheckpointFromZip(await readFile(dir), dir);
  if ((await stat(dir).catch(() => null))?.isFile()) throw new CheckpointError(`${dir} is a file but not a zip archive: give a checkpoint directory or a zipped one (.zip)`);
  // regular files only: a FIFO or a device named model.safetensors would block the read forever
  for (const file of [CONFIG_FILE, WEIGHTS_FILE]) {
    const path = join(dir, file);
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      throw new CheckpointError(`cannot read ${path}: ${(e as Error).message}`);
    }
    if (!info.isFile()) throw new CheckpointError(`${path} is not a regular file`);
  }
  const config = (await readFile(join(dir, CONFIG_FILE))).toString('utf8');
  const weights = await openFileSource(join(dir, WEIGHTS_FILE));
  try {
    return await deserializeCheckpointFromSource(config, weights);
  } catch (e) {
    // name the checkpoint: the format errors name only the tensor or field
    if (e instanceof TokenFormerError && !e.message.includes(dir)) e.message = `${dir}: ${e.message}`;
    throw e;
  } finally {
    await weights.close();
  }
}

export interface SaveOptions {
  /** More files to write beside the weights (e.g. `{ 'tokenizer.json': text }`). */
  extraFiles?: Record<string, string | Uint8Array>;
}

/**
 * Fills a temporary sibling of `dir` with `fill(tmp)`, then renames it into place. An existing
 * `dir` is replaced (moved aside, then removed), so readers see either the old or the new
 * directory, never a half-written one; on failure the temporary directory is removed.
 */
export async function writeDirAtomically(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${suffix}`);
  await mkdir(tmp);
  try {
    await fill(tmp);
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

async function writeExtraFiles(tmp: string, extraFiles: Record<string, string | Uint8Array>): Promise<void> {
  for (const [file, data] of Object.entries(extraFiles)) {
    if (file.includes('/') || file === CONFIG_FILE || file === WEIGHTS_FILE) {
      throw new CheckpointError(`extra file name ${JSON.stringify(file)} is not allowed`);
    }
    await writeFileSynced(join(tmp, file), data);
  }
}

/** Writes `dir` atomically (see writeDirAtomically): weights, extra files, then config.json. */
export async function saveCheckpoint(model: TokenFormer, dir: string, options: SaveOptions = {}): Promise<void> {
  const { config, weights } = await serializeCheckpoint(model);
  await writeDirAtomically(dir, async (tmp) => {
    await writeFileSynced(join(tmp, WEIGHTS_FILE), weights);
    await writeExtraFiles(tmp, options.extraFiles ?? {});
    await writeFileSynced(join(tmp, CONFIG_FILE), config);
  });
}

/** A ByteSource over a file, read with positional reads (the file is never loaded whole). */
export async function openFileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new CheckpointError(`cannot open ${path}: ${(e as Error).message}`);
  }
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      checkRange(size, offset, length, path);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new TorchFileError(`${path} ended at ${offset + done} bytes while reading (changed on disk?)`);
        done += bytesRead;
      }
      return out;
    },
    close: () => handle.close(),
  };
}

export interface ImportResult {
  config: TokenFormerConfig;
  format: TorchFileFormat;
  tensors: number;
}

/**
 * Imports an official checkpoint file (`pytorch_model.bin`, legacy torch file or official-key
 * safetensors) into a checkpoint directory, streaming: one storage in memory at a time, each
 * tensor written at its place in model.safetensors. No backend is needed.
 */
export async function importOfficialToDir(file: string, neoxArgs: unknown, dir: string, options: SaveOptions = {}): Promise<ImportResult> {
  const source = await openFileSource(file);
  try {
    const checkpoint = await openOfficialCheckpoint(source, neoxArgs);
    const layout = safetensorsLayout(
      [...tensorShapes(checkpoint.config)].map(([name, shape]) => ({ name, shape, dtype: 'F32' as const })),
      { format: 'pt' },
    );
    let tensors = 0;
    await writeDirAtomically(dir, async (tmp) => {
      const out = await open(join(tmp, WEIGHTS_FILE), 'w');
      try {
        await out.write(layout.header, 0, layout.header.byteLength, 0);
        for await (const t of checkpoint.tensors()) {
          const bytes = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
          await out.write(bytes, 0, bytes.byteLength, layout.offsets.get(t.name)!);
          tensors++;
        }
        await out.sync();
      } finally {
        await out.close();
      }
      await writeExtraFiles(tmp, options.extraFiles ?? {});
      await writeFileSynced(join(tmp, CONFIG_FILE), `${JSON.stringify(configToJson(checkpoint.config), null, 2)}\n`);
    });
    return { config: checkpoint.config, format: checkpoint.format, tensors };
  } catch (e) {
    // name the file: the format errors name only the zip entry, pickle opcode or tensor
    if (e instanceof TokenFormerError && !e.message.includes(file)) e.message = `${file}: ${e.message}`;
    throw e;
  } finally {
    await source.close();
  }
}

/**
 * Exports a model to `file` as the official `pytorch_model.bin` (see exportOfficial), written to a
 * temporary sibling and renamed into place; returns the GPT-NeoX arguments that rebuild it.
 */
export async function exportOfficialToFile(model: TokenFormer, file: string, options: ExportOptions = {}): Promise<Record<string, unknown>> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(tmp, 'w');
  try {
    const args = await exportOfficial(model, { write: async (chunk) => void (await handle.write(chunk)) }, options);
    await handle.sync();
    await handle.close();
    await rename(tmp, file);
    return args;
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
