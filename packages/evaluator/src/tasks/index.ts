import { cola, GLUE, mnli, mnliMismatch, mrpc, qnli, qqp, rte, sst2, wnli } from './glue.js';
import { lambadaOpenai } from './lambada.js';
import { arcChallenge, arcEasy, hellaswag, piqa, winogrande } from './multipleChoice.js';
import type { Task } from './task.js';
import { boolq, cb, copa, multirc, record, sglueRte, SUPER_GLUE, wic, wsc } from './superGlue.js';
import { wikitext } from './wikitext.js';

/** Every task by its harness name. */
export const TASKS: ReadonlyMap<string, Task> = new Map(
  [lambadaOpenai, hellaswag, piqa, arcEasy, arcChallenge, winogrande, wikitext, ...GLUE, ...SUPER_GLUE].map((t) => [t.name, t]),
);

/**
 * Task names that stand for several tasks: the harness's tags `glue` and `super-glue-lm-eval-v1`
 * (their members run as if listed one by one; the results add a row for the group).
 */
export const TASK_GROUPS: ReadonlyMap<string, readonly Task[]> = new Map([
  ['glue', GLUE],
  ['super-glue-lm-eval-v1', SUPER_GLUE],
]);

export { lambadaOpenai, hellaswag, piqa, arcEasy, arcChallenge, winogrande, wikitext };
export { cola, mnli, mnliMismatch, mrpc, qnli, qqp, rte, sst2, wnli, GLUE };
export { boolq, cb, copa, multirc, record, sglueRte, wic, wsc, SUPER_GLUE };
export { generalDetokenize, wscText } from './superGlue.js';
export { hellaswagPreprocess } from './multipleChoice.js';
export { wikitextDetokenize } from './wikitext.js';
export type { Task, TaskDoc, MetricSpec, Aggregation, LoglikelihoodDoc, MultipleChoiceDoc, RollingDoc } from './task.js';
