// A checkpoint as one file (DESIGN.md): a .zip of a checkpoint directory, as the web page downloads
// it. Browser-safe. Zipping and unzipping is fflate's (small, no dependencies, browser and Node).
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { deserializeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import type { TokenFormer } from './model.js';

/** The files a checkpoint directory may hold (DESIGN.md's checkpoint contract); nothing else is read. */
export const CHECKPOINT_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'optimizer.safetensors', 'trainer_state.json'] as const;

/** The zip's local-file signature ("PK\x03\x04"); an empty zip starts with the end record's "PK\x05\x06". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/**
 * Zips checkpoint files (name -> text or bytes) at the top level of the archive. The weights are
 * stored (float32 hardly compresses, and storing keeps a multi-GB zip fast); JSON is deflated.
 */
export function zipCheckpoint(files: Record<string, string | Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    if (!(CHECKPOINT_FILES as readonly string[]).includes(name)) throw new CheckpointError(`zipCheckpoint: ${name} is not a checkpoint file (${CHECKPOINT_FILES.join(', ')})`);
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    entries[name] = [bytes, { level: name.endsWith('.safetensors') ? 0 : 6 }];
  }
  if (!('config.json' in entries) || !('model.safetensors' in entries)) throw new CheckpointError('zipCheckpoint: config.json and model.safetensors are required');
  return zipSync(entries);
}

/**
 * The checkpoint files inside a zip (`name` names it in errors). The files may sit at the top level
 * or in one folder (a zipped directory); other files are ignored, config.json and model.safetensors
 * are required, and a path that escapes the archive is refused.
 */
export function unzipCheckpoint(bytes: Uint8Array, name = 'the zip'): Map<string, Uint8Array> {
  if (!isZip(bytes)) throw new CheckpointError(`${name} is not a zip archive (it does not start with PK\\3\\4)`);
  let entries: Record<string, Uint8Array>;
  try {
    // only the checkpoint's own names are inflated: anything else in the archive costs nothing
    entries = unzipSync(bytes, { filter: (f) => (CHECKPOINT_FILES as readonly string[]).includes(f.name.split('/').pop()!) });
  } catch (e) {
    throw new CheckpointError(`${name}: not a readable zip archive (${(e as Error).message})`);
  }
  const files = new Map<string, Uint8Array>();
  const folders = new Set<string>();
  for (const [path, content] of Object.entries(entries)) {
    const parts = path.split('/');
    if (parts.some((p) => p === '..') || path.startsWith('/') || parts.length > 2) continue; // not the checkpoint's
    const file = parts.pop()!;
    folders.add(parts.join('/'));
    if (files.has(file)) throw new CheckpointError(`${name} holds ${file} twice (in ${[...folders].map((f) => f || 'the top level').join(' and ')}): zip one checkpoint directory`);
    files.set(file, content);
  }
  for (const need of ['config.json', 'model.safetensors']) {
    if (!files.has(need)) throw new CheckpointError(`${name} has no ${need} (at its top level or in one folder): it is not a zipped checkpoint directory`);
  }
  return files;
}

/** A model from a zipped checkpoint directory (the bytes of a .zip file). */
export function loadCheckpointFromZip(bytes: Uint8Array, name = 'the zip'): TokenFormer {
  const files = unzipCheckpoint(bytes, name);
  try {
    return deserializeCheckpoint(new TextDecoder().decode(files.get('config.json')), files.get('model.safetensors')!);
  } catch (e) {
    if (e instanceof Error && !e.message.includes(name)) e.message = `${name}: ${e.message}`;
    throw e;
  }
}
