// `tokenformer-eval --tasks ...`: zero-shot tasks on standard-format JSONL files from a data
// directory, results in the harness's JSON shape and as a markdown table.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TASKS, addGroupRows, evaluate, expandTaskNames, paperTable, parseJsonl, resultsTable, type EvaluationResults, type TaskData } from '@tokenformer/evaluator';
import { writeFileAtomically } from '@tokenformer/node-runtime';
import { loadModel, type ModelOptions } from './load.js';
import { progressBar, type Progress } from './progress.js';

export interface TasksCommandOptions extends ModelOptions {
  tasks: string[];
  dataDir: string;
  limit?: number;
  bootstrapIters: number;
  output?: string;
  backend: string;
}

/** Reads each task's JSONL file (a group's: each member's); a missing one names the file and where the data comes from. */
export function readTaskData(names: string[], dataDir: string): TaskData[] {
  return expandTaskNames(names).tasks.map((name) => {
    const task = TASKS.get(name);
    if (!task) throw new Error(`unknown task ${JSON.stringify(name)}; known: ${[...TASKS.keys()].join(', ')}, and the groups glue, super-glue-lm-eval-v1`);
    const file = join(dataDir, task.file);
    if (!existsSync(file)) throw new Error(`${file} is missing: task ${name} reads ${task.file} (rows with ${task.fields.join(', ')}; from ${task.source})`);
    return { task, rows: parseJsonl(readFileSync(file, 'utf8'), file) };
  });
}

export async function tasksCommand(o: TasksCommandOptions): Promise<{ results: EvaluationResults; table: string }> {
  const data = readTaskData(o.tasks, o.dataDir); // before the model: bad data fails fast
  const { lm, model, checkpoint, tokenizer } = await loadModel(o);
  let bar: Progress | undefined;
  let current = '';
  try {
    const results = await evaluate(lm, data, {
      ...(o.limit !== undefined ? { limit: o.limit } : {}),
      bootstrapIters: o.bootstrapIters,
      onProgress: (task, done, total) => {
        if (task !== current) {
          bar?.stop();
          bar = progressBar(task, total);
          current = task;
        }
        bar!.update(done);
      },
    });
    bar?.stop();
    addGroupRows(results, expandTaskNames(o.tasks).groups);
    results.config = { ...results.config, model: 'tokenformer', checkpoint, tokenizer, backend: o.backend, max_length: lm.maxLength, batch_size: lm.batchSize, params: model.countParams() };
    const row = paperTable(results, basename(checkpoint));
    const table = row ? `${resultsTable(results)}\nIn the layout of the paper's Table 1 (accuracies in %, HellaSwag and ARC-C by acc_norm):\n\n${row}` : resultsTable(results);
    if (o.output) {
      writeFileAtomically(o.output, `${JSON.stringify(results, null, 2)}\n`);
      writeFileAtomically(o.output.replace(/\.json$/, '') + '.md', table);
    }
    return { results, table };
  } finally {
    model.dispose();
  }
}
