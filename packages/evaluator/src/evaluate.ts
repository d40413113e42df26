// Runs tasks on a model and aggregates as the harness does; results in the harness's JSON shape
// (`results[task]["acc,none"]`, `"acc_stderr,none"`, versions, n-shot, higher_is_better, n-samples).
import { argmax } from '@tokenformer/model';
import { EvaluatorError } from './errors.js';
import type { Row } from './jsonl.js';
import type { LanguageModel, LoglikelihoodRequest } from './lm.js';
import { binaryF1, cbMultiF1, matthewsCorrcoef, type Pair } from './classification.js';
import { bitsPerByte, bootstrapStderr, mean, meanStderr, perplexity, weightedPerplexity, type Weighted } from './metrics.js';
import { codePointLength } from './pyText.js';
import type { Aggregation, MetricSpec, Task, TaskDoc } from './tasks/task.js';

export interface EvaluateOptions {
  /** Only the first N documents of each task (the harness's --limit). */
  limit?: number;
  /** Resamples for bootstrap standard errors (harness default 100,000; 0 = none). */
  bootstrapIters?: number;
  /** Progress: documents scored so far of a task's total. */
  onProgress?: (task: string, done: number, total: number) => void;
}


export interface EvaluationResults {
  results: Record<string, Record<string, number | string>>;
  versions: Record<string, number>;
  'n-shot': Record<string, number>;
  higher_is_better: Record<string, Record<string, boolean>>;
  'n-samples': Record<string, { original: number; effective: number }>;
  config: Record<string, unknown>;
}

type Items = { metric: MetricSpec; values: (number | Weighted | Pair)[] };

function aggregate(aggregation: Aggregation, values: (number | Weighted | Pair)[]): number {
  switch (aggregation) {
    case 'mean':
      return mean(values as number[]);
    case 'perplexity':
      return perplexity(values as number[]);
    case 'weighted_perplexity':
      return weightedPerplexity(values as Weighted[]);
    case 'bits_per_byte':
      return bitsPerByte(values as Weighted[]);
    case 'matthews_corrcoef':
      return matthewsCorrcoef(values as Pair[]);
    case 'f1':
      return binaryF1(values as Pair[]);
    case 'cb_multi_f1':
      return cbMultiF1(values as Pair[]);
  }
}

/**
 * The harness's stderr_for_metric: closed form for means; the bootstrap for perplexity, mcc and
 * binary F1 (its "bootstrappable" aggregations); none for the weighted ones and CB's own F1.
 */
function stderr(aggregation: Aggregation, values: (number | Weighted | Pair)[], bootstrapIters: number): number | 'N/A' {
  if (values.length < 2) return 'N/A';
  if (aggregation === 'mean') return meanStderr(values as number[]);
  if (bootstrapIters <= 0) return 'N/A';
  if (aggregation === 'perplexity') return bootstrapStderr(perplexity, values as number[], bootstrapIters);
  if (aggregation === 'matthews_corrcoef') return bootstrapStderr(matthewsCorrcoef, values as Pair[], bootstrapIters);
  if (aggregation === 'f1') return bootstrapStderr(binaryF1, values as Pair[], bootstrapIters);
  return 'N/A';
}

/** Scores one task's documents: every request of every document in one batched call. */
export async function scoreTask(lm: LanguageModel, task: Task, docs: TaskDoc[], onProgress?: (done: number, total: number) => void): Promise<Items[]> {
  const items: Items[] = task.metrics.map((metric) => ({ metric, values: [] }));
  const push = (name: string, value: number | Weighted | Pair) => items.find((i) => i.metric.name === name)?.values.push(value);
  if (task.outputType === 'loglikelihood_rolling') {
    const rolling = docs.map((d) => d as Extract<TaskDoc, { kind: 'loglikelihood_rolling' }>);
    const lls = await lm.loglikelihoodRolling(rolling.map((d) => d.text), (n) => onProgress?.(n, docs.length));
    rolling.forEach((d, i) => {
      push('word_perplexity', [lls[i]!, d.words]);
      push('byte_perplexity', [lls[i]!, d.bytes]);
      push('bits_per_byte', [lls[i]!, d.bytes]);
    });
    return items;
  }
  const requests: LoglikelihoodRequest[] = [];
  for (const d of docs) {
    if (d.kind === 'loglikelihood') requests.push(d.request);
    else if (d.kind === 'multiple_choice') requests.push(...d.requests);
  }
  const perDoc = requests.length / docs.length;
  const results = await lm.loglikelihood(requests, (n) => onProgress?.(Math.floor(n / perDoc), docs.length));
  let at = 0;
  for (const d of docs) {
    if (d.kind === 'loglikelihood') {
      const r = results[at++]!;
      push('perplexity', r.logprob);
      push('acc', r.isGreedy ? 1 : 0);
    } else if (d.kind === 'multiple_choice') {
      const lls = results.slice(at, at + d.requests.length).map((r) => r.logprob);
      at += d.requests.length;
      const pred = argmax(lls); // the first index of the maximum, as numpy.argmax
      const predNorm = argmax(lls.map((ll, i) => ll / codePointLength(d.choices[i]!)));
      if (d.score) {
        for (const [name, value] of Object.entries(d.score(pred))) push(name, value);
        continue;
      }
      push('acc', pred === d.gold ? 1 : 0);
      push('acc_norm', predNorm === d.gold ? 1 : 0);
      push('f1', [d.gold, pred]);
      push('mcc', [d.gold, pred]);
    }
  }
  return items;
}

export interface TaskData {
  task: Task;
  rows: Row[];
}

/** Evaluates tasks on `lm` (zero-shot) and returns the harness's results object. */
export async function evaluate(lm: LanguageModel, data: TaskData[], options: EvaluateOptions = {}): Promise<EvaluationResults> {
  const bootstrapIters = options.bootstrapIters ?? 100_000;
  const out: EvaluationResults = { results: {}, versions: {}, 'n-shot': {}, higher_is_better: {}, 'n-samples': {}, config: { limit: options.limit ?? null, bootstrap_iters: bootstrapIters, num_fewshot: 0 } };
  for (const { task, rows } of data) {
    if (rows.length === 0) throw new EvaluatorError(`task ${task.name} has no documents`);
    const used = options.limit !== undefined ? rows.slice(0, options.limit) : rows;
    const docs = used.map((row) => task.toDoc(row));
    const items = await scoreTask(lm, task, docs, (done, total) => options.onProgress?.(task.name, done, total));
    const metrics: Record<string, number | string> = { alias: task.name };
    for (const { metric, values } of items) {
      metrics[`${metric.name},none`] = aggregate(metric.aggregation, values);
      metrics[`${metric.name}_stderr,none`] = stderr(metric.aggregation, values, bootstrapIters);
    }
    out.results[task.name] = metrics;
    out.versions[task.name] = task.version;
    out['n-shot'][task.name] = 0;
    out.higher_is_better[task.name] = Object.fromEntries(task.metrics.map((m) => [m.name, m.higherIsBetter]));
    out['n-samples'][task.name] = { original: rows.length, effective: docs.length };
  }
  return out;
}

/**
 * The paper's Table 1 columns (reference/tokenformer.md §5): LAMBADA perplexity, then accuracies in
 * percent, HellaSwag and ARC-Challenge as acc_norm (the Mamba convention the paper follows), and
 * their average over the columns present.
 */
const TABLE1: [label: string, task: string, metric: string][] = [
  ['LAMBADA ppl↓', 'lambada_openai', 'perplexity'],
  ['LAMBADA acc', 'lambada_openai', 'acc'],
  ['HellaSwag', 'hellaswag', 'acc_norm'],
  ['PIQA', 'piqa', 'acc'],
  ['ARC-E', 'arc_easy', 'acc'],
  ['ARC-C', 'arc_challenge', 'acc_norm'],
  ['WinoGrande', 'winogrande', 'acc'],
];

/** One row in the layout of the paper's Table 1, for the tasks present (empty when none is). */
export function paperTable(results: EvaluationResults, model = 'this model'): string {
  const cols = TABLE1.filter(([, task, metric]) => typeof results.results[task]?.[`${metric},none`] === 'number');
  if (cols.length === 0) return '';
  const values = cols.map(([, task, metric]) => results.results[task]![`${metric},none`] as number);
  const accs = cols.map(([, , metric], i) => (metric === 'perplexity' ? null : values[i]! * 100)).filter((v): v is number => v !== null);
  const cells = cols.map(([, , metric], i) => (metric === 'perplexity' ? values[i]!.toFixed(2) : (values[i]! * 100).toFixed(1)));
  const avg = accs.length > 0 ? (accs.reduce((a, b) => a + b, 0) / accs.length).toFixed(1) : '—';
  return `| Model | ${cols.map(([label]) => label).join(' | ')} | Avg |\n|---|${cols.map(() => '---|').join('')}---|\n| ${model} | ${cells.join(' | ')} | ${avg} |\n`;
}

/** A markdown table: one row per task and metric, value ± stderr. */
export function resultsTable(results: EvaluationResults): string {
  const lines = ['| task | version | metric | value | ± stderr |', '|---|---|---|---|---|'];
  for (const [task, metrics] of Object.entries(results.results)) {
    for (const [key, value] of Object.entries(metrics)) {
      if (!key.endsWith(',none') || key.includes('_stderr')) continue;
      const name = key.slice(0, -',none'.length);
      const err = metrics[`${name}_stderr,none`];
      const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));
      lines.push(`| ${task} | ${results.versions[task] ?? 'N/A'} | ${name} | ${fmt(value)} | ${fmt(err)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
