// The link to the web page that the main job prints and `pnpm web` opens: the trained model, a
// prompt taken from a held-out document (text the model never trained on, in the corpus's style), and
// no stop token, so the page streams a whole paragraph instead of stopping when the small model
// predicts the end of a document. Written beside the run as page.json; apps/web/scripts/web.mjs reads it.
import { join } from 'node:path';
import { IndexedDataset } from '@tokenformer/data/node';
import { writeFileAtomically } from '@tokenformer/node-runtime';
import type { Tokenizer } from '@tokenformer/tokenizer';
import { readPrepared } from './prepare.js';

export const PAGE_FILE = 'page.json';

/** The page's URL settings (DESIGN.md's page URL contract). */
export interface PageLink {
  prompt: string;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  seed: number;
  /** Stop tokens; empty: generate maxNewTokens tokens. */
  stop: string[];
}

/** The first `words` words of the first held-out document of a prepared data directory. */
export function heldOutPrompt(dataDir: string, tokenizer: Tokenizer, words = 8): string {
  const prepared = readPrepared(dataDir);
  if (!prepared.valid) throw new Error(`${dataDir} has no held-out split to take a prompt from`);
  const ds = IndexedDataset.open(join(dataDir, prepared.valid.prefix));
  try {
    const length = Math.min(ds.documentSize(0), 64);
    const ids = new Int32Array(length);
    ds.read(0, 0, length, ids, 0);
    const text = tokenizer.decode(Array.from(ids), { skipSpecialTokens: true });
    return text.trim().split(/\s+/).slice(0, words).join(' ');
  } finally {
    ds.close();
  }
}

export function writePageLink(runDir: string, link: PageLink): void {
  writeFileAtomically(join(runDir, PAGE_FILE), `${JSON.stringify(link, null, 2)}\n`);
}
