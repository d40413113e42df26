// GLUE and SuperGLUE against lm-evaluation-harness 0.4.9.1 itself: tools/reference/make_glue_fixtures.py
// ran the harness's own task files (YAML, Jinja templates, Python utilities) on the rows of
// glue_rows.json and its sklearn aggregations on fixed vectors; every request, gold index, version,
// metric list and metric value here must be the same.
import { readFileSync } from 'node:fs';
import { fixturePath } from '@tokenformer/testing';
import { describe, expect, it } from 'vitest';
import { TASKS, binaryF1, bootstrapStderr, cbMultiF1, matthewsCorrcoef, rowsOf, type MultipleChoiceDoc, type Pair } from './index.js';

interface HarnessTask {
  version: number;
  metrics: string[];
  docs: { context: string; continuations: string[]; choices: string[]; gold: number }[];
}
const ROWS = JSON.parse(readFileSync(fixturePath('evaluator', 'glue_rows.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
const HARNESS = JSON.parse(readFileSync(fixturePath('evaluator', 'glue_requests.json'), 'utf8')) as {
  tasks: Record<string, HarnessTask>;
  metrics: Record<string, { golds: number[]; preds: number[]; mcc: number; f1: number | null; cb_f1: number; mcc_stderr_2000: number; f1_stderr_2000: number | null }>;
};

describe('GLUE and SuperGLUE requests equal the harness\'s (v0.4.9.1, its own task files run on the same rows)', () => {
  it.each(Object.keys(HARNESS.tasks))('%s', (name) => {
    const task = TASKS.get(name)!;
    const expected = HARNESS.tasks[name]!;
    expect(task.version).toBe(expected.version);
    expect(task.metrics.map((m) => m.name)).toEqual(expected.metrics);
    const docs = rowsOf(ROWS[name]!, `${name}.jsonl`).map((row) => task.toDoc(row) as MultipleChoiceDoc);
    expect(docs.map((d) => ({ context: d.requests[0]!.context, continuations: d.requests.map((r) => r.continuation), choices: d.choices, gold: d.gold === -1 ? -100 : d.gold }))).toEqual(expected.docs);
    for (const d of docs) expect(new Set(d.requests.map((r) => r.context)).size).toBe(1);
  });
});

describe('the classification aggregations and their bootstrap standard errors equal the harness\'s (sklearn)', () => {
  it.each(Object.entries(HARNESS.metrics))('%s', (_, m) => {
    const items: Pair[] = m.golds.map((g, i) => [g, m.preds[i]!]);
    expect(matthewsCorrcoef(items)).toBeCloseTo(m.mcc, 14);
    if (m.f1 !== null) expect(binaryF1(items)).toBeCloseTo(m.f1, 14);
    expect(cbMultiF1(items)).toBeCloseTo(m.cb_f1, 14);
    // the harness's bootstrap (its _bootstrap_internal and sample_stddev over its own aggregations)
    expect(bootstrapStderr(matthewsCorrcoef, items, 2000)).toBeCloseTo(m.mcc_stderr_2000, 12);
    if (m.f1_stderr_2000 !== null) expect(bootstrapStderr(binaryF1, items, 2000)).toBeCloseTo(m.f1_stderr_2000, 12);
  });
});
