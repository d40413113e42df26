// Hostile checkpoint zips (the web page's download format, taken by every --checkpoint): truncated,
// bit-flipped (the CRC-32 catches flips in the data), and forged headers: a declared size of a
// zip bomb, an encrypted entry, a ZIP64 marker, a file twice, a path out of the archive.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preset, serializeCheckpoint, TokenFormer, zipCheckpoint } from '@tokenformer/model';
import { loadCheckpoint } from '@tokenformer/model/node';
import { zipSync } from 'fflate';
import { weightsDigest } from './modelFormats.js';
import { bitFlips, truncations, utf8, type Mutant } from './mutate.js';
import type { HostileFormat } from './runner.js';

/** The offset of the central directory's first entry (from the end record). */
function centralStart(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return view.getUint32(bytes.length - 22 + 16, true);
}

function forged(base: Uint8Array, name: string, edit: (view: DataView, cd: number) => void): Mutant {
  const bytes = base.slice();
  edit(new DataView(bytes.buffer), centralStart(bytes));
  return { name, bytes };
}

export async function zipFormat(): Promise<HostileFormat> {
  const model = new TokenFormer(preset('tiny'), { seed: 2 });
  const { config, weights } = await serializeCheckpoint(model);
  model.dispose();
  // config.json first, deflated; then the stored weights
  const base = zipCheckpoint({ 'config.json': config, 'model.safetensors': weights });
  const eocd = base.length - 22;
  return {
    format: 'checkpoint .zip',
    base,
    mutants: [
      ...truncations(base, 16),
      ...bitFlips(base, 24),
      forged(base, 'config.json declared 4 GiB - 1 (a zip bomb header)', (v, cd) => v.setUint32(cd + 24, 0xffffffff, true)),
      forged(base, 'config.json declared 1 byte', (v, cd) => v.setUint32(cd + 24, 1, true)),
      forged(base, 'config.json marked encrypted', (v, cd) => v.setUint16(cd + 8, 1, true)),
      forged(base, 'config.json with compression method 12 (bzip2)', (v, cd) => v.setUint16(cd + 10, 12, true)),
      forged(base, 'a ZIP64 end record marker', (v) => v.setUint32(eocd + 16, 0xffffffff, true)),
      forged(base, 'central directory offset past the end', (v) => v.setUint32(eocd + 16, base.length, true)),
      forged(base, '65,535 entries declared', (v) => v.setUint16(eocd + 10, 0xffff, true)),
      { name: 'config.json twice (top level and a folder)', bytes: zipSync({ 'config.json': utf8(config), 'model.safetensors': weights, 'ckpt/config.json': utf8(config) }) },
      { name: 'config.json only outside the archive (../config.json)', bytes: zipSync({ '../config.json': utf8(config), 'model.safetensors': weights }) },
      { name: 'the files two folders deep', bytes: zipSync({ 'a/b/config.json': utf8(config), 'a/b/model.safetensors': weights }) },
      { name: 'an empty zip', bytes: zipSync({}) },
    ],
    place: (dir, bytes) => {
      writeFileSync(join(dir, 'checkpoint.zip'), bytes);
      return join(dir, 'checkpoint.zip');
    },
    read: async (path) => weightsDigest(await loadCheckpoint(path)),
    accepts: 'none expected (every entry read is CRC-checked; flips elsewhere leave the files read unchanged)',
  };
}
