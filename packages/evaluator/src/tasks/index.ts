import { lambadaOpenai } from './lambada.js';
import { arcChallenge, arcEasy, hellaswag, piqa, winogrande } from './multipleChoice.js';
import type { Task } from './task.js';
import { wikitext } from './wikitext.js';

/** Every task by its harness name. */
export const TASKS: ReadonlyMap<string, Task> = new Map(
  [lambadaOpenai, hellaswag, piqa, arcEasy, arcChallenge, winogrande, wikitext].map((t) => [t.name, t]),
);

export { lambadaOpenai, hellaswag, piqa, arcEasy, arcChallenge, winogrande, wikitext };
export { hellaswagPreprocess } from './multipleChoice.js';
export { wikitextDetokenize } from './wikitext.js';
export type { Task, TaskDoc, MetricSpec, Aggregation, LoglikelihoodDoc, MultipleChoiceDoc, RollingDoc } from './task.js';
