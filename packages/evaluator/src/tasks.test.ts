// Task scoring against hand-computed expectations, with a model whose log-probabilities are given
// (a table keyed by request), plus the harness's text details and the metrics' reference values.
import { readFileSync } from 'node:fs';
import { fixturePath } from '@tokenformer/testing';
import { describe, expect, it } from 'vitest';
import {
  PyRandom, TASKS, TaskDataError, bootstrapStderr, paperTable, codePointLength, evaluate, hellaswagPreprocess, meanStderr, parseJsonl, perplexity, rowsOf,
  pyCapitalize, resultsTable, rollingWindows, wikitextDetokenize, type LanguageModel, type LoglikelihoodRequest,
} from './index.js';

const FIX = JSON.parse(readFileSync(fixturePath('evaluator', 'bootstrap.json'), 'utf8'));

/** A model that answers from a table: `${context}|${continuation}` → [logprob, greedy]. */
function tableModel(table: Record<string, [number, boolean]>, rolling: Record<string, number> = {}): LanguageModel & { seen: LoglikelihoodRequest[] } {
  const seen: LoglikelihoodRequest[] = [];
  return {
    seen,
    async loglikelihood(requests) {
      seen.push(...requests);
      return requests.map((r) => {
        const hit = table[`${r.context}|${r.continuation}`];
        if (!hit) throw new Error(`no entry for ${JSON.stringify(r)}`);
        return { logprob: hit[0], isGreedy: hit[1] };
      });
    },
    async loglikelihoodRolling(texts) {
      return texts.map((t) => rolling[t] ?? Number.NaN);
    },
    async generateUntil() {
      return [];
    },
  };
}

const rows = (file: string, objects: unknown[]) => parseJsonl(objects.map((o) => JSON.stringify(o)).join('\n'), file);

describe('Python semantics the harness relies on', () => {
  it('PyRandom reproduces random.Random(seed).random() and choices', () => {
    const r = new PyRandom(0);
    expect(Array.from({ length: 5 }, () => r.random())).toEqual(FIX.random.seed0);
    const big = new PyRandom(2 ** 40 + 5);
    expect(Array.from({ length: 3 }, () => big.random())).toEqual(FIX.random['seed2^40+5']);
    expect(new PyRandom(7).choices([10, 20, 30, 40, 50], 12)).toEqual(FIX.random.choices7);
  });

  it('bootstrap and closed-form standard errors equal the Python computation', () => {
    expect(perplexity(FIX.loglikelihoods)).toBeCloseTo(FIX.perplexity, 12);
    expect(meanStderr(FIX.loglikelihoods)).toBeCloseTo(FIX.meanStderr, 12);
    expect(bootstrapStderr(perplexity, FIX.loglikelihoods, 2500)).toBeCloseTo(FIX.perplexityStderr2500, 10);
  });

  it('capitalize, code points, HellaSwag and WikiText clean-ups', () => {
    expect(pyCapitalize('hELLO wORLD')).toBe('Hello world');
    expect(codePointLength('naïve 🙂')).toBe(7); // 8 UTF-16 units, 10 bytes
    expect(hellaswagPreprocess('  Cooking: [header] How to cook [title] Boil  water. ')).toBe('Cooking: How to cook. Boil water.');
    expect(wikitextDetokenize(' = Valkyria = \n The game @-@ play , 3 @.@ 5 ( in Japan ) \' s N \n')).toBe(" = Valkyria =\nThe game-play, 3.5 (in Japan) ' s N\n");
  });
});

describe('rolling windows (the harness arithmetic)', () => {
  it('one window when the text fits: the prefix token, then every token', () => {
    expect(rollingWindows([5, 6, 7], 0, 4)).toEqual([{ context: [0], continuation: [5, 6, 7] }]);
  });

  it('later windows predict the next maxLength tokens after one token of context, disjoint', () => {
    const tokens = Array.from({ length: 10 }, (_, i) => i + 100);
    // hand-computed from get_rolling_token_windows(max_seq_len=4, context_len=1) + make_disjoint_window
    expect(rollingWindows(tokens, 0, 4)).toEqual([
      { context: [0], continuation: [100, 101, 102, 103] },
      { context: [103], continuation: [104, 105, 106, 107] },
      { context: [105, 106, 107], continuation: [108, 109] },
    ]);
    const covered = rollingWindows(tokens, 0, 3).flatMap((w) => w.continuation);
    expect(covered).toEqual(tokens);
  });
});

describe('task scoring with known log-probabilities', () => {
  it('lambada_openai: context = all words but the last, target = " " + last word; perplexity and greedy accuracy', async () => {
    const lm = tableModel({ 'the cat sat on the| mat': [-1, true], 'a b| c': [-3, false] });
    const out = await evaluate(lm, [{ task: TASKS.get('lambada_openai')!, rows: rows('lambada_openai.jsonl', [{ text: 'the cat sat on the mat' }, { text: 'a b c' }]) }], { bootstrapIters: 1000 });
    const r = out.results.lambada_openai!;
    expect(r['perplexity,none']).toBeCloseTo(Math.exp(2), 12);
    expect(r['acc,none']).toBe(0.5);
    expect(r['acc_stderr,none']).toBeCloseTo(0.5, 12); // sample sd of [1, 0] is √½, over √2
    expect(typeof r['perplexity_stderr,none']).toBe('number'); // bootstrap
    expect(out.versions.lambada_openai).toBe(1);
    expect(out.higher_is_better.lambada_openai).toEqual({ perplexity: false, acc: true });
    expect(out['n-samples'].lambada_openai).toEqual({ original: 2, effective: 2 });
  });

  it('acc_norm divides by the choice length in code points (not UTF-16 units, not bytes)', async () => {
    // HellaSwag: ctx_b capitalised, " [title]" → ". ", brackets removed, double spaces collapsed.
    const context = 'Baking: She mixes flour. Then she';
    const lm = tableModel({ [`${context}| abcdefgh`]: [-8, false], [`${context}| 🙂🙂🙂🙂`]: [-4.4, true] });
    const data = rows('hellaswag.jsonl', [{ activity_label: 'Baking', ctx_a: 'She mixes flour.', ctx_b: 'then she', endings: ['abcdefgh', '🙂🙂🙂🙂'], label: '0' }]);
    const r = (await evaluate(lm, [{ task: TASKS.get('hellaswag')!, rows: data }], { bootstrapIters: 0 })).results.hellaswag!;
    expect(r['acc,none']).toBe(0); // −4.4 > −8 picks the emoji ending
    expect(r['acc_norm,none']).toBe(1); // −8/8 = −1 beats −4.4/4 = −1.1 (UTF-16: −0.55, bytes: −0.275 would not)
    expect(r['acc_stderr,none']).toBe('N/A'); // one document
  });

  it('WinoGrande: each option fills the blank in its own context; only the rest of the sentence is scored', async () => {
    const lm = tableModel({
      "The trophy doesn't fit because the trophy| is too big.": [-2, true],
      "The trophy doesn't fit because the suitcase| is too big.": [-3, false],
      'A _ flies.| flies.': [0, false],
    });
    const data = rows('winogrande.jsonl', [
      { sentence: "The trophy doesn't fit because _ is too big.", option1: 'the trophy', option2: 'the suitcase', answer: '1' },
      { sentence: "The trophy doesn't fit because _ is too big.", option1: 'the trophy', option2: 'the suitcase', answer: '2' },
    ]);
    const r = (await evaluate(lm, [{ task: TASKS.get('winogrande')!, rows: data }], { bootstrapIters: 0 })).results.winogrande!;
    expect(r['acc,none']).toBe(0.5);
    expect(r['acc_norm,none']).toBeUndefined(); // WinoGrande reports acc only
    expect(lm.seen[0]).toEqual({ context: "The trophy doesn't fit because the trophy", continuation: ' is too big.' });
  });

  it('ARC (letter or digit labels) and PIQA prompts', async () => {
    const q = 'Question: 2+2?\nAnswer:';
    const lm = tableModel({ [`${q}| 3`]: [-5, false], [`${q}| 4`]: [-1, true], [`${q}| five`]: [-2, false], 'Question: open a jar\nAnswer:| twist': [-1, true], 'Question: open a jar\nAnswer:| hammer': [-4, false] });
    const arc = rows('arc_easy.jsonl', [
      { id: 'a', question: '2+2?', choices: { text: ['3', '4'], label: ['1', '2'] }, answerKey: '2' },
      { id: 'b', question: '2+2?', choices: { text: ['3', '4', 'five'], label: ['A', 'B', 'C'] }, answerKey: 'C' },
    ]);
    const piqa = rows('piqa.jsonl', [{ goal: 'open a jar', sol1: 'twist', sol2: 'hammer', label: 0 }]);
    const out = await evaluate(lm, [{ task: TASKS.get('arc_easy')!, rows: arc }, { task: TASKS.get('piqa')!, rows: piqa }], { bootstrapIters: 0 });
    expect(out.results.arc_easy!['acc,none']).toBe(0.5);
    // acc_norm: −5/1, −1/1, −2/4 → "five" wins the second (gold), "4" the first (gold)
    expect(out.results.arc_easy!['acc_norm,none']).toBe(1);
    expect(out.results.piqa!['acc,none']).toBe(1);
    expect(resultsTable(out)).toMatch(/\| arc_easy \| 1 \| acc_norm \| 1\.0000 \| 0\.0000 \|/);
    // Table 1 layout: accuracies in percent, ARC-E by acc (50.0), PIQA (100.0), their average
    expect(paperTable(out, 'tiny')).toBe('| Model | PIQA | ARC-E | Avg |\n|---|---|---|---|\n| tiny | 100.0 | 50.0 | 75.0 |\n');
  });

  it('WikiText: detokenised text scored, words and bytes counted on the raw page', async () => {
    const page = ' The café @-@ bar \n';
    const text = wikitextDetokenize(page);
    expect(text).toBe(' The café-bar\n');
    const lm = tableModel({}, { [text]: -12 });
    const r = (await evaluate(lm, [{ task: TASKS.get('wikitext')!, rows: rows('wikitext.jsonl', [{ page }]) }], { bootstrapIters: 0 })).results.wikitext!;
    const words = 6; // re.split(r"\s+", page): ['', 'The', 'café', '@-@', 'bar', '']
    const bytes = 20; // UTF-8: é is two bytes
    expect(r['word_perplexity,none']).toBeCloseTo(Math.exp(12 / words), 12);
    expect(r['byte_perplexity,none']).toBeCloseTo(Math.exp(12 / bytes), 12);
    expect(r['bits_per_byte,none']).toBeCloseTo(12 / bytes / Math.LN2, 12);
    expect(r['bits_per_byte_stderr,none']).toBe('N/A');
  });

  it('--limit takes the first N documents', async () => {
    const lm = tableModel({ 'a| b': [-1, true], 'c| d': [-2, false] });
    const out = await evaluate(lm, [{ task: TASKS.get('lambada_openai')!, rows: rows('lambada_openai.jsonl', [{ text: 'a b' }, { text: 'c d' }]) }], { limit: 1, bootstrapIters: 0 });
    expect(out['n-samples'].lambada_openai).toEqual({ original: 2, effective: 1 });
    expect(out.results.lambada_openai!['acc,none']).toBe(1);
  });
});

describe('malformed task data', () => {
  it.each([
    ['hellaswag', [{ activity_label: 'x', ctx_a: 'a', ctx_b: 'b', label: '0' }], /hellaswag.jsonl:1: field "endings" must be a non-empty list of strings, got nothing/],
    ['hellaswag', [{ activity_label: 'x', ctx_a: 'a', ctx_b: 'b', endings: ['e'], label: '3' }], /field "label" must be an integer label in \[0, 1\), got "3"/],
    ['arc_challenge', [{ question: 'q', choices: { text: ['a'], label: ['A'] }, answerKey: 'B' }], /field "answerKey": "B" is not one of the labels \["A"\]/],
    ['winogrande', [{ sentence: 'no blank', option1: 'a', option2: 'b', answer: '1' }], /field "sentence": has no "_" blank/],
    ['piqa', [{ goal: 'g', sol1: 1, sol2: 's', label: 0 }], /piqa.jsonl:1: field "sol1" must be a string, got 1/],
  ])('%s: %j', async (task, objects, message) => {
    const lm = tableModel({});
    await expect(evaluate(lm, [{ task: TASKS.get(task)!, rows: rows(`${task}.jsonl`, objects) }])).rejects.toThrow(TaskDataError);
    await expect(evaluate(lm, [{ task: TASKS.get(task)!, rows: rows(`${task}.jsonl`, objects) }])).rejects.toThrow(message);
  });

  it('rows built in memory are the rows of the same JSONL, and name their index in errors', async () => {
    const objects = [{ text: 'a b' }, { text: 'c d' }];
    expect(rowsOf(objects, 'lambada_openai.jsonl')).toEqual(rows('lambada_openai.jsonl', objects));
    const lm = tableModel({});
    await expect(evaluate(lm, [{ task: TASKS.get('piqa')!, rows: rowsOf([{ goal: 'g', sol1: 1, sol2: 's', label: 0 }]) }])).rejects.toThrow(/rows:1: field "sol1"/);
    expect(() => rowsOf([null as unknown as Record<string, unknown>])).toThrow(/rows:1: a row must be an object/);
  });

  it('a line that is not JSON names the file and line', () => {
    expect(() => parseJsonl('{"text": "a"}\n{oops', 'lambada_openai.jsonl')).toThrow(/lambada_openai.jsonl:2: not JSON/);
  });
});
