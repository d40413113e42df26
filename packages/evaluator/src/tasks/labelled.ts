// The harness's plainest multiple-choice form, shared by GLUE and SuperGLUE: a prompt from the row
// (doc_to_text), fixed label words as choices after ' ' (doc_to_choice), and the row's integer
// `label` as the gold index (doc_to_target: label).
import { intLabel, str, type Row } from '../jsonl.js';
import { ACC as ACC_AND_NORM, choicesAfter } from './multipleChoice.js';
import type { MetricSpec, Task } from './task.js';

/** `metric_list: [acc]`. */
export const ACC: MetricSpec = ACC_AND_NORM[0]!;

export interface LabelledTask {
  name: string;
  version: number;
  source: string;
  /** The fields the prompt reads (`label` is added). */
  fields: string[];
  metrics: MetricSpec[];
  choices: string[];
  /** The prompt, from the row's string fields (`field`) or the row itself. */
  text: (field: (name: string) => string, row: Row) => string;
}

export function labelledTask(t: LabelledTask): Task {
  return {
    name: t.name,
    version: t.version,
    outputType: 'multiple_choice',
    file: `${t.name}.jsonl`,
    source: t.source,
    fields: [...t.fields, 'label'],
    metrics: t.metrics,
    toDoc: (row) => choicesAfter(t.text((f) => str(row, f), row), t.choices, intLabel(row, 'label', t.choices.length)),
  };
}
