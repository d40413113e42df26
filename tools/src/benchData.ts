// `pnpm bench:data` (also run by `pnpm bench`): preprocessing throughput on the embedded corpus with
// GPT-NeoX-20B's tokenizer (this thread, then worker threads on every core), sampler throughput,
// and resident memory while sampling datasets of 20M and 200M tokens (it must not grow with the
// dataset). Options: --big=N (millions of tokens of the larger dataset, default 200) --json=FILE
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { GptSampler, IndexedDataset, IndexedDatasetWriter, preprocess, readSotu, type Document } from '@tokenformer/data/node';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const bigMillions = Number(args.big ?? 200);
const require = createRequire(import.meta.url);
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  const results: Record<string, unknown> = {};
  try {
    const tokenizerPath = npmAsset(NEOX_20B_TOKENIZER);
    const neox = loadTokenizer(tokenizerPath);
    const docs: Document[] = [];
    for (let copy = 0; copy < 8; copy++) for await (const d of readSotu()) docs.push(d);
    console.log(`preprocess: the corpus 8 times (${docs.length} documents, 86 MB) with GPT-NeoX-20B, Node ${process.version}, ${availableParallelism()} cores`);
    const single = await preprocess(docs, { encode: (t) => neox.encodeIds(t), eod: 0, vocabSize: neox.vocabSize(), outputPrefix: join(dir, 'one') });
    const module = pathToFileURL(join(dirname(require.resolve('@tokenformer/tokenizer/package.json')), 'dist', 'node.js')).href;
    const parallel = await preprocess(docs, { encoder: { module, options: { path: tokenizerPath } }, eod: 0, vocabSize: neox.vocabSize(), outputPrefix: join(dir, 'many') });
    for (const [name, r] of [
      ['this thread', single],
      [`${availableParallelism()} worker threads (start-up included)`, parallel],
    ] as const) {
      console.log(`  ${name.padEnd(52)} ${(r.bytes / 1e6 / r.seconds).toFixed(2)} MB/s  ${(r.train.tokens / r.seconds / 1e6).toFixed(2)} M tokens/s  (${r.seconds.toFixed(2)} s)`);
    }
    results.preprocess = { single, parallel };

    // datasets of 20M and N·1M tokens: the corpus's items repeated
    const base = IndexedDataset.open(single.train.prefix);
    const items = Array.from({ length: base.numDocuments }, (_, i) => base.get(i));
    base.close();
    const build = (name: string, millions: number): string => {
      const w = new IndexedDatasetWriter(join(dir, name), 'uint16');
      let n = 0;
      for (let k = 0; n < millions * 1e6; k++) {
        const item = items[k % items.length]!;
        w.addDocument(item);
        n += item.length;
      }
      w.finalize();
      return join(dir, name);
    };
    const seqLength = 1024;
    const batchSize = 8;
    const batches = 2000;
    for (const millions of [20, bigMillions]) {
      const t0 = performance.now();
      const prefix = build(`big${millions}`, millions);
      const buildSec = (performance.now() - t0) / 1000;
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const ds = IndexedDataset.open(prefix);
      const sampler = new GptSampler(ds, { seqLength, batchSize, seed: 1 });
      const rssOpen = process.memoryUsage().rss;
      const t1 = performance.now();
      let n = 0;
      for (let b = 0; b < Math.min(batches, sampler.numBatches); b++) n += sampler.batch(b).data.length;
      const sec = (performance.now() - t1) / 1000;
      const rssAfter = process.memoryUsage().rss;
      ds.close();
      const row = { millions, fileBytes: ds.numTokens * 2, buildSec, tokensPerSec: n / sec, rssBefore, rssOpen, rssAfter };
      (results.sampler ??= [] as unknown[]) && (results.sampler as unknown[]).push(row);
      console.log(
        `sampler on ${millions}M tokens (${mb(row.fileBytes)} .bin, written in ${buildSec.toFixed(1)} s): ${(n / sec / 1e6).toFixed(1)} M tokens/s over ${Math.min(batches, sampler.numBatches)} batches of ${batchSize}x${seqLength + 1}; RSS ${mb(rssBefore)} -> open ${mb(rssOpen)} -> after ${mb(rssAfter)}`,
      );
    }
    if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
