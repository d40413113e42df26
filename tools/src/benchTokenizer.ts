// `pnpm bench:tokenizer` (also run by `pnpm bench`): encode speed in MB/s on the embedded corpus
// (the State of the Union addresses, 10.8 MB of English, one address per encode call), ours
// against the pure-JS GPT-2 encoders (gpt-tokenizer, js-tiktoken) and Hugging Face's Rust library,
// for GPT-2 and GPT-NeoX-20B; ids are checked equal before anything is timed. Then BPE training
// time for a 32k vocabulary on the same text, and one 4 MiB word (the merge's worst case).
// Options: --reps=N (best of N, default 3) --json=FILE
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BpeTrainer, Tokenizer } from '@tokenformer/tokenizer';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/gpt2';
import { Tiktoken } from 'js-tiktoken/lite';
import gpt2Ranks from 'js-tiktoken/ranks/gpt2';
import { BPE as HfBPE, byteLevelPreTokenizer, Tokenizer as HfTokenizer } from 'tokenizers';
import { GPT2_MERGES_TXT, GPT2_VOCAB_JSON, NEOX_20B_TOKENIZER, npmAsset, sotuTexts } from '@tokenformer/testing/text';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const reps = Number(args.reps ?? 3);

interface Row {
  tokenizer: string;
  encoder: string;
  mbPerSec: number;
  tokensPerSec: number;
}

const docs = sotuTexts();
const megabytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0) / 1e6;
const rows: Row[] = [];

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Best of `reps` timed passes after one warm-up pass (which also checks the ids). */
async function measure(tokenizer: string, encoder: string, encodeAll: () => Promise<number[][]> | number[][], reference: number[][]): Promise<void> {
  const first = await encodeAll();
  const bad = first.findIndex((ids, i) => !same(ids, reference[i]!));
  if (bad >= 0) throw new Error(`${encoder} (${tokenizer}) gives other ids than ours on address #${bad}: not timed`);
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await encodeAll();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const tokens = reference.reduce((n, ids) => n + ids.length, 0);
  rows.push({ tokenizer, encoder, mbPerSec: megabytes / best, tokensPerSec: tokens / best });
  console.log(`${tokenizer.padEnd(12)} ${encoder.padEnd(40)} ${(megabytes / best).toFixed(2).padStart(7)} MB/s  ${(tokens / best / 1e6).toFixed(2)} M tokens/s`);
}

async function hfBatch(hf: HfTokenizer): Promise<number[][]> {
  return (await hf.encodeBatch(docs)).map((e) => e.getIds());
}

async function hfOneByOne(hf: HfTokenizer): Promise<number[][]> {
  const out: number[][] = [];
  for (const d of docs) out.push((await hf.encode(d)).getIds());
  return out;
}

/**
 * One 4 MiB word (random lowercase letters, no space: a single pre-token) through the GPT-NeoX-20B
 * BPE: the heap merge is O(n log n), as Hugging Face's; no length cap, so the ids stay Hugging Face's.
 */
async function measureLongWord(ours: Tokenizer, hf: HfTokenizer): Promise<{ mib: number; oursSec: number; rustSec: number }> {
  const mib = 4;
  let x = 1;
  const word = Array.from({ length: mib * 1024 * 1024 }, () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return String.fromCharCode(97 + (x % 26));
  }).join('');
  let t0 = performance.now();
  const ids = ours.encodeIds(word);
  const oursSec = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const theirs = (await hf.encode(word)).getIds();
  const rustSec = (performance.now() - t0) / 1000;
  if (!same(ids, theirs)) throw new Error('the long word gives other ids than Hugging Face\'s');
  console.log(`GPT-NeoX-20B one ${mib} MiB word (${ids.length} ids): ours ${oursSec.toFixed(1)} s, tokenizers (Rust) ${rustSec.toFixed(1)} s`);
  return { mib, oursSec, rustSec };
}

async function main(): Promise<void> {
  console.log(`corpus: ${docs.length} addresses, ${megabytes.toFixed(2)} MB; best of ${reps} after a warm-up; Node ${process.version}`);
  // GPT-2
  const vocabPath = npmAsset(GPT2_VOCAB_JSON);
  const mergesPath = npmAsset(GPT2_MERGES_TXT);
  const gpt2 = Tokenizer.fromGpt2Files(readFileSync(vocabPath, 'utf8'), readFileSync(mergesPath, 'utf8'));
  const ref = docs.map((d) => gpt2.encodeIds(d));
  await measure('GPT-2', '@tokenformer/tokenizer encodeIds', () => docs.map((d) => gpt2.encodeIds(d)), ref);
  await measure('GPT-2', '@tokenformer/tokenizer encode (offsets)', () => docs.map((d) => gpt2.encode(d).ids), ref);
  await measure('GPT-2', 'gpt-tokenizer 4.0.0', () => docs.map((d) => gptTokenizerEncode(d)), ref);
  const tiktoken = new Tiktoken(gpt2Ranks);
  await measure('GPT-2', 'js-tiktoken 1.0.21', () => docs.map((d) => tiktoken.encode(d)), ref);
  const hfGpt2 = new HfTokenizer(await HfBPE.fromFile(vocabPath, mergesPath));
  hfGpt2.setPreTokenizer(byteLevelPreTokenizer(false, true));
  await measure('GPT-2', 'tokenizers 0.23.2 (Rust) encodeBatch', () => hfBatch(hfGpt2), ref);
  await measure('GPT-2', 'tokenizers 0.23.2 (Rust) encode', () => hfOneByOne(hfGpt2), ref);
  // GPT-NeoX-20B
  const neoxPath = npmAsset(NEOX_20B_TOKENIZER);
  const neox = Tokenizer.fromJSON(readFileSync(neoxPath, 'utf8'));
  const refNeox = docs.map((d) => neox.encodeIds(d));
  await measure('GPT-NeoX-20B', '@tokenformer/tokenizer encodeIds', () => docs.map((d) => neox.encodeIds(d)), refNeox);
  const hfNeox = HfTokenizer.fromFile(neoxPath);
  await measure('GPT-NeoX-20B', 'tokenizers 0.23.2 (Rust) encodeBatch', () => hfBatch(hfNeox), refNeox);
  await measure('GPT-NeoX-20B', 'tokenizers 0.23.2 (Rust) encode', () => hfOneByOne(hfNeox), refNeox);

  const longWord = await measureLongWord(neox, hfNeox);

  const ours = (t: string): number => rows.find((r) => r.tokenizer === t && r.encoder.endsWith('encodeIds'))!.mbPerSec;
  const bestOf = (t: string, prefix: string[]): number => Math.max(...rows.filter((r) => r.tokenizer === t && prefix.some((p) => r.encoder.startsWith(p))).map((r) => r.mbPerSec));
  const ratios = {
    gpt2VsFastestPureJs: ours('GPT-2') / bestOf('GPT-2', ['gpt-tokenizer', 'js-tiktoken']),
    gpt2VsRust: ours('GPT-2') / bestOf('GPT-2', ['tokenizers']),
    neoxVsRust: ours('GPT-NeoX-20B') / bestOf('GPT-NeoX-20B', ['tokenizers']),
  };
  console.log(`ratios: GPT-2 ours / fastest pure JS = ${ratios.gpt2VsFastestPureJs.toFixed(2)}x (goal >= 1.5x)`);
  console.log(`        GPT-2 ours / Rust (best of batch, single) = ${ratios.gpt2VsRust.toFixed(2)}x (goal >= 0.5x)`);
  console.log(`        NeoX-20B ours / Rust (best of batch, single) = ${ratios.neoxVsRust.toFixed(2)}x (goal >= 0.5x)`);

  // Training: 32k vocabulary on the corpus (line by line, as Hugging Face's train_from_files)
  const lines = docs.join('\n').split(/(?<=\n)/);
  let t0 = performance.now();
  const trainer = new BpeTrainer({ vocabSize: 32000, specialTokens: ['<|endoftext|>'] });
  for (const line of lines) trainer.feed(line);
  const counted = (performance.now() - t0) / 1000;
  const trained = trainer.train();
  const trainSec = (performance.now() - t0) / 1000;
  console.log(`training: 32,000-token byte-level BPE on ${megabytes.toFixed(1)} MB: ${trainSec.toFixed(1)} s (counting ${counted.toFixed(1)} s, ${trainer.stats.words} distinct words), vocab ${trained.vocabSize()}`);
  // Hugging Face's node binding trains only with its default trainer (30,000 tokens, no initial
  // alphabet): the same settings here give a like-for-like time
  const dir = mkdtempSync(join(tmpdir(), 'bench-train-'));
  let hfTrainSec = NaN;
  let ours30kSec = NaN;
  try {
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, docs.join('\n'));
    t0 = performance.now();
    const hf = new HfTokenizer(HfBPE.empty());
    hf.setPreTokenizer(byteLevelPreTokenizer(false, true));
    hf.train([file]);
    hfTrainSec = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const t30 = new BpeTrainer({ vocabSize: 30000, initialAlphabet: [] });
    for (const line of lines) t30.feed(line);
    t30.train();
    ours30kSec = (performance.now() - t0) / 1000;
    console.log(`training, Hugging Face's default settings (30,000 tokens): ours ${ours30kSec.toFixed(1)} s, tokenizers (Rust, 2 threads) ${hfTrainSec.toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ megabytes, rows, ratios, longWord, trainSec, ours30kSec, hfTrainSec }, null, 2));
}

await main();
