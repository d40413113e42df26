// tokenformer-eval as a user runs it (the built bin): an official-layout checkpoint imported with the
// GPT-NeoX-20B tokenizer, every task on standard-format files, and perplexity of texts and datasets.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { IndexedDatasetWriter } from '@tokenformer/data/node';
import { TASKS, TokenFormerLM, evaluate, parseJsonl, textPerplexity } from '@tokenformer/evaluator';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint } from '@tokenformer/model/node';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tokenformer-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const ROWS: Record<string, unknown[]> = {
  lambada_openai: [{ text: 'The Congress shall assemble at least once in every year' }, { text: 'We hold these truths to be self evident' }, { text: 'In the beginning was the word' }],
  hellaswag: [{ activity_label: 'Baking', ctx_a: 'She mixes the flour.', ctx_b: 'then she', endings: ['bakes it [title] in the oven.', 'eats the bowl.', 'sings.', 'leaves.'], label: '0' }],
  piqa: [{ goal: 'To open a jar,', sol1: 'twist the lid.', sol2: 'hit it with a hammer.', label: 0 }, { goal: 'Dry wet hands', sol1: 'with a towel', sol2: 'with water', label: 0 }],
  arc_easy: [{ id: 'x', question: 'Which is a planet?', choices: { text: ['Mars', 'Moon'], label: ['A', 'B'] }, answerKey: 'A' }],
  arc_challenge: [{ id: 'y', question: 'What do plants need?', choices: { text: ['light', 'noise', 'rock'], label: ['1', '2', '3'] }, answerKey: '1' }],
  winogrande: [{ sentence: "The trophy doesn't fit in the suitcase because _ is too big.", option1: 'the trophy', option2: 'the suitcase', answer: '1' }],
  wikitext: [{ page: ' = Valkyria Chronicles = \n The game is a tactical role @-@ playing game . \n' }],
};

let checkpoint: string;
const dataDir = join(dir, 'data');

beforeAll(async () => {
  await tf.setBackend('cpu');
  const tokenizerFile = npmAsset(NEOX_20B_TOKENIZER);
  const model = new TokenFormer(createConfig({ vocabSize: 50277, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 32 }), { seed: 9 });
  await exportOfficialToFile(model, join(dir, 'official', 'pytorch_model.bin'));
  model.dispose();
  checkpoint = join(dir, 'imported');
  await importOfficialToDir(join(dir, 'official', 'pytorch_model.bin'), { num_attention_heads: 2, seq_length: 32 }, checkpoint, { extraFiles: { 'tokenizer.json': readFileSync(tokenizerFile, 'utf8') } });
  mkdirSync(dataDir);
  for (const [task, rows] of Object.entries(ROWS)) writeFileSync(join(dataDir, `${task}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n'));
});

/** Two short rows of every GLUE and SuperGLUE task, in the Hugging Face datasets' fields. */
const GLUE_ROWS: Record<string, unknown[]> = {
  cola: [{ sentence: 'The boy ran.', label: 1 }, { sentence: 'Ran boy the.', label: 0 }],
  mnli: [{ premise: 'A man eats.', hypothesis: 'Someone eats', label: 0 }, { premise: 'It rains.', hypothesis: 'It is dry.', label: 2 }],
  mnli_mismatch: [{ premise: 'A dog barks.', hypothesis: 'An animal makes noise', label: 0 }, { premise: 'Snow.', hypothesis: 'Heat.', label: 2 }],
  mrpc: [{ sentence1: 'He left.', sentence2: 'He went away.', label: 1 }, { sentence1: 'He left.', sentence2: 'She sang.', label: 0 }],
  qnli: [{ question: 'Who wrote it?', sentence: 'Tolstoy wrote it.', label: 0 }, { question: 'When?', sentence: 'Blue.', label: 1 }],
  qqp: [{ question1: 'How to cook?', question2: 'How do I cook?', label: 1 }, { question1: 'Why?', question2: 'Where?', label: 0 }],
  rte: [{ sentence1: 'Paris is in France.', sentence2: 'Paris is French.', label: 0 }, { sentence1: 'A.', sentence2: 'B.', label: 1 }],
  sst2: [{ sentence: 'a joy ', label: 1 }, { sentence: 'a bore ', label: 0 }],
  wnli: [{ sentence1: 'The cup fell because it slipped.', sentence2: 'The cup slipped.', label: 1 }, { sentence1: 'X.', sentence2: 'Y.', label: 0 }],
  boolq: [{ passage: 'Water is wet.', question: 'is water wet', label: 1 }, { passage: 'Fire is hot.', question: 'is fire cold', label: 0 }],
  cb: [{ premise: 'It is late.', hypothesis: 'it is late', label: 0 }, { premise: 'Maybe.', hypothesis: 'yes', label: 2 }],
  copa: [{ premise: 'The man fell.', choice1: 'He slipped.', choice2: 'He sang.', question: 'cause', label: 0 }, { premise: 'It rained.', choice1: 'The ground got wet.', choice2: 'The sun rose.', question: 'effect', label: 0 }],
  multirc: [{ paragraph: 'Ann has a cat.', question: 'What does Ann have?', answer: 'A cat', label: 1 }, { paragraph: 'Ann has a cat.', question: 'What does Ann have?', answer: 'A car', label: 0 }],
  record: [{ passage: 'Tokyo won.\n@highlight\nGames', query: '@placeholder hosted', entities: ['Tokyo', 'Paris'], answers: ['Tokyo'] }],
  sglue_rte: [{ premise: 'Paris is in France.', hypothesis: 'Paris is French.', label: 0 }, { premise: 'A.', hypothesis: 'B.', label: 1 }],
  wic: [{ sentence1: 'The bank of the river.', sentence2: 'The bank lent money.', start1: 4, end1: 8, label: 0 }, { sentence1: 'Run fast.', sentence2: 'Run away.', start1: 0, end1: 3, label: 1 }],
  wsc: [{ text: 'Mark told Pete a lie . He lied .', span1_index: 0, span1_text: 'Mark', span2_index: 6, span2_text: 'He', label: 1 }, { text: 'Ann saw Sue . She waved .', span1_index: 2, span1_text: 'Sue', span2_index: 4, span2_text: 'She', label: 0 }],
};

describe('tokenformer-eval', () => {
  it('runs the groups glue and super-glue-lm-eval-v1: every member, and a row for each group', () => {
    for (const [task, rows] of Object.entries(GLUE_ROWS)) writeFileSync(join(dataDir, `${task}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n'));
    const output = join(dir, 'glue', 'results.json');
    const r = run(['--checkpoint', checkpoint, '--tasks', 'glue,super-glue-lm-eval-v1', '--data-dir', dataDir, '--backend', 'cpu', '--bootstrap-iters', '100', '--output', output]);
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(output, 'utf8'));
    expect(Object.keys(results.results).sort()).toEqual([...Object.keys(GLUE_ROWS), 'glue', 'super-glue-lm-eval-v1'].sort());
    expect(typeof results.results.cola['mcc,none']).toBe('number');
    expect(typeof results.results.qqp['f1_stderr,none']).toBe('number');
    expect(results.results.cb['f1_stderr,none']).toBe('N/A');
    expect(Object.keys(results.results.record)).toEqual(['alias', 'f1,none', 'f1_stderr,none', 'em,none', 'em_stderr,none']);
    expect(r.stdout).toMatch(/\| super-glue-lm-eval-v1 \| N\/A \| acc \| [\d.]+ \|/);
  });

  it('runs every task on an imported official checkpoint; the results equal the evaluator called directly', async () => {
    const output = join(dir, 'out', 'results.json');
    const r = run(['--checkpoint', checkpoint, '--tasks', Object.keys(ROWS).join(','), '--data-dir', dataDir, '--backend', 'cpu', '--batch-size', '3', '--bootstrap-iters', '1000', '--output', output]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backend: cpu/);
    expect(r.stdout).toMatch(/\| hellaswag \| 1 \| acc_norm \|/);
    expect(r.stdout).toMatch(/\| Model \| LAMBADA ppl↓ \| LAMBADA acc \| HellaSwag \| PIQA \| ARC-E \| ARC-C \| WinoGrande \| Avg \|\n\|---\|/);
    const results = JSON.parse(readFileSync(output, 'utf8'));
    expect(Object.keys(results.results)).toEqual(Object.keys(ROWS));
    expect(results.config).toMatchObject({ backend: 'cpu', max_length: 32, batch_size: 3, bootstrap_iters: 1000 });
    expect(readFileSync(join(dir, 'out', 'results.md'), 'utf8')).toMatch(/\| wikitext \| 2 \| bits_per_byte \|/);

    const model = await loadCheckpoint(checkpoint);
    const lm = new TokenFormerLM(model, loadTokenizer(join(checkpoint, 'tokenizer.json')), { batchSize: 1 });
    const data = Object.entries(ROWS).map(([name, rows]) => ({ task: TASKS.get(name)!, rows: parseJsonl(rows.map((x) => JSON.stringify(x)).join('\n'), name) }));
    const direct = await evaluate(lm, data, { bootstrapIters: 1000 });
    model.dispose();
    for (const [task, metrics] of Object.entries(direct.results)) {
      for (const [key, value] of Object.entries(metrics)) {
        if (typeof value === 'number') expect(results.results[task][key], `${task} ${key}`).toBeCloseTo(value, 4);
        else expect(results.results[task][key]).toBe(value);
      }
    }
  });

  it('perplexity of a text file and of an indexed dataset of the same text agree', async () => {
    const text = 'The State of the Union is strong. We have work to do, and we shall do it together.';
    writeFileSync(join(dir, 'held-out.txt'), text);
    const tokenizer = loadTokenizer(join(checkpoint, 'tokenizer.json'));
    const writer = new IndexedDatasetWriter(join(dir, 'held-out_text_document'), 'uint16');
    writer.addDocument(tokenizer.encodeIds(text));
    writer.finalize();
    const a = run(['perplexity', '--checkpoint', checkpoint, '--text', join(dir, 'held-out.txt'), '--max-length', '8', '--backend', 'cpu']);
    expect(a.status, a.stderr).toBe(0);
    const b = run(['perplexity', '--checkpoint', checkpoint, '--dataset', join(dir, 'held-out_text_document'), '--max-length', '8', '--backend', 'cpu', '--output', join(dir, 'ppl.json')]);
    expect(b.status, b.stderr).toBe(0);
    const ra = JSON.parse(a.stdout);
    const rb = JSON.parse(readFileSync(join(dir, 'ppl.json'), 'utf8'));
    expect(rb.tokens).toBe(ra.tokens);
    expect(rb.natsPerToken).toBeCloseTo(ra.natsPerToken, 5);
    expect(rb.bytes).toBe(Buffer.byteLength(text));
    const model = await loadCheckpoint(checkpoint);
    const direct = await textPerplexity(new TokenFormerLM(model, tokenizer, { maxLength: 8 }), [text]);
    model.dispose();
    expect(ra.bitsPerByte).toBeCloseTo(direct.bitsPerByte, 5);
    // the checkpoint zipped (the web page's download format): the same report
    execFileSync('zip', ['-qr', 'imported.zip', 'imported'], { cwd: dir });
    const z = run(['perplexity', '--checkpoint', join(dir, 'imported.zip'), '--text', join(dir, 'held-out.txt'), '--max-length', '8', '--backend', 'cpu']);
    expect(z.status, z.stderr).toBe(0);
    expect(JSON.parse(z.stdout).natsPerToken).toBe(ra.natsPerToken);
  });

  it('names a missing task file and where its data comes from; usage errors exit 2', () => {
    const missing = run(['--checkpoint', checkpoint, '--tasks', 'lambada_openai', '--data-dir', join(dir, 'nowhere'), '--backend', 'cpu']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nowhere\/lambada_openai.jsonl is missing: task lambada_openai reads lambada_openai.jsonl \(rows with text; from EleutherAI\/lambada_openai/);
    expect(run(['--checkpoint', checkpoint, '--tasks', 'nope', '--data-dir', dataDir]).stderr).toMatch(/unknown task "nope"; known: lambada_openai, hellaswag/);
    expect(run(['--tasks', 'piqa']).status).toBe(2);
    expect(run(['--checkpoint', checkpoint, '--bogus']).status).toBe(2);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/winogrande +winogrande.jsonl +sentence, option1, option2, answer/);
  });

  it('reads compressed text as text, refuses an output inside its checkpoint, and 0 or nothing as a count or task list', () => {
    const text = 'We hold these truths to be self-evident, that all men are created equal. '.repeat(4);
    writeFileSync(join(dir, 'held.txt'), text);
    writeFileSync(join(dir, 'held.txt.gz'), gzipSync(Buffer.from(text)));
    const [plain, gz] = ['held.txt', 'held.txt.gz'].map((f) => run(['perplexity', '--checkpoint', checkpoint, '--text', join(dir, f), '--backend', 'cpu']));
    expect(gz!.status, gz!.stderr).toBe(0);
    expect(JSON.parse(gz!.stdout)).toMatchObject({ documents: 1, tokens: JSON.parse(plain!.stdout).tokens, natsPerToken: JSON.parse(plain!.stdout).natsPerToken });
    const weights = readFileSync(join(checkpoint, 'model.safetensors'));
    const inside = run(['perplexity', '--checkpoint', checkpoint, '--text', join(dir, 'held.txt'), '--output', join(checkpoint, 'model.safetensors'), '--backend', 'cpu']);
    expect([inside.status, inside.stderr]).toEqual([2, expect.stringMatching(/--output .*model\.safetensors is inside the input --checkpoint/)]);
    expect(readFileSync(join(checkpoint, 'model.safetensors')).equals(weights)).toBe(true);
    expect(run(['--checkpoint', checkpoint, '--tasks', 'piqa', '--data-dir', dataDir, '--limit', '0']).stderr).toMatch(/--limit "0" is not an integer >= 1/);
    const none = run(['--checkpoint', checkpoint, '--tasks', '', '--data-dir', dataDir]);
    expect([none.status, none.stderr]).toEqual([2, expect.stringMatching(/--tasks lists no task/)]);
  });
});
