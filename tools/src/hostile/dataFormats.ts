// Hostile files of the data side: tokenizer.json, indexed datasets (.idx / .bin), corpora (JSONL,
// text, .gz, .zst) and evaluator task files.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { IndexedDataset, IndexedDatasetWriter, readCorpus } from '@tokenformer/data/node';
import { evaluate, parseJsonl, TASKS, type LanguageModel } from '@tokenformer/evaluator';
import { BpeTrainer, Tokenizer } from '@tokenformer/tokenizer';
import { bitFlips, replaced, truncations, utf8 } from './mutate.js';
import type { HostileFormat } from './runner.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PROBES = ['the quick brown fox', 'Ünïcödé 😀 text', '  spaces\tand\nlines  ', '<|endoftext|>hello'];

/** A language model with fixed answers: enough for a task to read every field of its rows. */
const constantLM: LanguageModel = {
  loglikelihood: async (r) => r.map((x) => ({ logprob: -x.continuation.length, isGreedy: false })),
  loglikelihoodRolling: async (t) => t.map((x) => -x.length),
  generateUntil: async (r) => r.map(() => ''),
};

export function dataFormats(work: string): HostileFormat[] {
  const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
  trainer.feed('the quick brown fox jumps over the lazy dog '.repeat(20));
  const tokenizerText = trainer.train().toString();

  const prefix = join(work, 'base');
  const w = new IndexedDatasetWriter(prefix, 'uint16');
  for (let d = 0; d < 20; d++) w.addDocument(Array.from({ length: 5 + d }, (_, i) => (d * 31 + i) % 300));
  w.finalize();
  const idx = new Uint8Array(readFileSync(`${prefix}.idx`));
  const bin = new Uint8Array(readFileSync(`${prefix}.bin`));
  const readDataset = async (p: string) => {
    const ds = IndexedDataset.open(p);
    try {
      const hash = createHash('sha256');
      for (let d = 0; d < ds.numDocuments; d++) hash.update(new Uint8Array(ds.get(d).buffer));
      return hash.digest('hex');
    } finally {
      ds.close();
    }
  };
  const dataset = (which: 'idx' | 'bin') => (dir: string, bytes: Uint8Array): string => {
    writeFileSync(join(dir, 'd.idx'), which === 'idx' ? bytes : idx);
    writeFileSync(join(dir, 'd.bin'), which === 'bin' ? bytes : bin);
    return join(dir, 'd');
  };

  const jsonl = Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `document ${i}: the quick brown fox ${'jumps '.repeat(i % 5)}`, id: i })).join('\n') + '\n';
  const zst = new Uint8Array(readFileSync(join(ROOT, 'packages', 'data', 'fixtures', 'compressed.jsonl.zst')));
  const gz = new Uint8Array(gzipSync(Buffer.from(jsonl)));
  const corpus = (name: string) => (dir: string, bytes: Uint8Array): string => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const readDocs = async (file: string) => {
    const docs: string[] = [];
    for await (const d of readCorpus(file, { onMalformed: 'throw' })) docs.push(d.text);
    return JSON.stringify(docs);
  };

  const piqa = [{ goal: 'To open a jar', sol1: 'twist the lid', sol2: 'hit it', label: 0 }, { goal: 'Dry hands', sol1: 'a towel', sol2: 'water', label: 1 }].map((r) => JSON.stringify(r)).join('\n');
  const readTask = async (file: string) => {
    const rows = parseJsonl(readFileSync(file, 'utf8'), file);
    const r = await evaluate(constantLM, [{ task: TASKS.get('piqa')!, rows }], { bootstrapIters: 10 });
    return JSON.stringify(r.results);
  };

  return [
    {
      format: 'tokenizer.json',
      base: utf8(tokenizerText),
      mutants: [
        ...truncations(utf8(tokenizerText), 12),
        ...replaced(tokenizerText, '"pre_tokenizer":', ['"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(a+)+$"}, "behavior": "Isolated", "invert": false}, "x":', '"pre_tokenizer": {"type": "Nope"}, "x":', '"pre_tokenizer": 5, "x":']),
        ...replaced(tokenizerText, '"model":', ['"model": null, "x":', '"model": {"type": "WordPiece"}, "x":', '"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}, "x":']),
        ...replaced(tokenizerText, '"added_tokens":', ['"added_tokens": [{"id": 99999, "content": 5}], "x":', '"added_tokens": {}, "x":']),
      ],
      place: (dir, bytes) => {
        writeFileSync(join(dir, 'tokenizer.json'), bytes);
        return join(dir, 'tokenizer.json');
      },
      read: async (file) => {
        try {
          const t = Tokenizer.fromJSON(readFileSync(file, 'utf8'));
          return JSON.stringify([t.vocabSize(), ...PROBES.map((p) => t.encodeIds(p))]);
        } catch (e) {
          (e as Error).message = `${file}: ${(e as Error).message}`; // fromJSON takes text; its caller names the file
          throw e;
        }
      },
      wrapsErrors: true,
      accepts: 'a field the pipeline does not read (the "x" left by a replacement) or a JSON-valid change',
    },
    { format: '.idx', base: idx, mutants: [...truncations(idx, 15), ...bitFlips(idx, 25)], place: dataset('idx'), read: readDataset, accepts: 'a flip in a token id or size that stays consistent (no checksum)' },
    { format: '.bin', base: bin, mutants: [...truncations(bin, 10), ...bitFlips(bin, 10)], place: dataset('bin'), read: readDataset, accepts: 'a flipped token id (the .bin holds ids only)' },
    { format: '.jsonl.zst', base: zst, mutants: [...truncations(zst, 10), ...bitFlips(zst, 30)], place: corpus('c.jsonl.zst'), read: readDocs, accepts: 'a flip in an unused frame-header bit (same text)' },
    { format: '.jsonl.gz', base: gz, mutants: [...truncations(gz, 10), ...bitFlips(gz, 20)], place: corpus('c.jsonl.gz'), read: readDocs, accepts: 'a flip in the gzip header (name, time, flags) that gunzip ignores' },
    {
      format: '.jsonl',
      base: utf8(jsonl),
      mutants: [
        ...replaced(jsonl, '{"text":"document 3', ['{"text": 3, "x":"', 'not json "', '{"title":"document 3']),
        { name: 'invalid UTF-8', bytes: new Uint8Array([...utf8('{"text": "a'), 0xff, 0xfe, ...utf8('"}\n')]) },
        { name: 'a NUL byte line', bytes: new Uint8Array([0, 0, 10]) },
      ],
      place: corpus('c.jsonl'),
      read: readDocs,
      accepts: 'none expected',
    },
    {
      format: 'evaluator task file',
      base: utf8(piqa),
      mutants: [
        ...truncations(utf8(piqa), 6),
        ...replaced(piqa, '"label":0', ['"label":2', '"label":-1', '"label":"x"', '"label":0.5']),
        ...replaced(piqa, '"sol1":"twist the lid"', ['"sol1":5', '"sol1":null', '"sol1":""']),
        ...replaced(piqa, '"goal":"To open a jar"', ['"goal":[]', '"goal":{}']),
      ],
      place: corpus('piqa.jsonl'),
      read: readTask,
      accepts: 'an empty solution string (the harness scores it too)',
    },
  ];
}
