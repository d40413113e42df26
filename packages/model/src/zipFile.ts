// Node side of the checkpoint .zip: is a path a zip file, and the zip unpacked into a temporary
// checkpoint directory, for the commands that read more than the model from a checkpoint (its
// tokenizer.json, its optimizer state). The directory is removed when the process exits.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from './errors.js';
import { isZip, unzipCheckpoint } from './zip.js';

/** True when `path` is a regular file that starts with a zip signature (a directory is not). */
export function isZipFile(path: string): boolean {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const head = new Uint8Array(4);
    readSync(fd, head, 0, 4, 0);
    return isZip(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const extracted: string[] = [];

/**
 * Unpacks a zipped checkpoint directory into a fresh temporary directory and returns its path
 * (removed at process exit). Only the checkpoint's files are written (see unzipCheckpoint).
 */
export function extractCheckpointZip(zipPath: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(zipPath);
  } catch (e) {
    throw new CheckpointError(`cannot read ${zipPath}: ${(e as Error).message}`);
  }
  const files = unzipCheckpoint(bytes, zipPath);
  const dir = mkdtempSync(join(tmpdir(), 'tokenformer-checkpoint-'));
  if (extracted.length === 0) process.on('exit', () => extracted.forEach((d) => rmSync(d, { recursive: true, force: true })));
  extracted.push(dir);
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  return dir;
}
