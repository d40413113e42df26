// Task groups: `glue` and `super-glue-lm-eval-v1` expand to their members, and the results gain a
// row per group. In lm-evaluation-harness 0.4.9.1 both are tags (members listed, no group row); the
// row here is what the harness computes for a group whose aggregate_metric_list is
// [{metric: acc, aggregation: mean, weight_by_size: false}]: the plain mean of the members' acc, and
// pooled_sample_stderr of their standard errors (N/A if any is N/A). Members without acc (CoLA's
// mcc, ReCoRD's f1/em) are not in it.
import type { EvaluationResults } from './evaluate.js';
import { TASK_GROUPS, type Task } from './tasks/index.js';

/** Task names with each group name replaced by its members (each task once, in first-seen order). */
export function expandTaskNames(names: readonly string[]): { tasks: string[]; groups: string[] } {
  const tasks: string[] = [];
  const groups: string[] = [];
  for (const name of names) {
    const members: readonly Task[] | undefined = TASK_GROUPS.get(name);
    if (members) groups.push(name);
    for (const t of members ? members.map((m) => m.name) : [name]) if (!tasks.includes(t)) tasks.push(t);
  }
  return { tasks, groups };
}

/** The harness's pooled_sample_stderr (lm_eval/api/metrics.py). */
export function pooledSampleStderr(stderrs: readonly number[], sizes: readonly number[]): number {
  let num = 0;
  for (let i = 0; i < sizes.length; i++) num += (sizes[i]! - 1) * stderrs[i]! ** 2 * sizes[i]!;
  const total = sizes.reduce((a, b) => a + b, 0);
  return Math.sqrt(num / (total - sizes.length) / total);
}

/** Adds each group's row (`results[group]`, its acc over the members that report acc). */
export function addGroupRows(results: EvaluationResults, groups: readonly string[]): void {
  for (const group of groups) {
    const members = (TASK_GROUPS.get(group) ?? []).map((t) => t.name).filter((t) => typeof results.results[t]?.['acc,none'] === 'number');
    if (members.length === 0) continue;
    const accs = members.map((t) => results.results[t]!['acc,none'] as number);
    const stderrs = members.map((t) => results.results[t]!['acc_stderr,none']);
    const sizes = members.map((t) => results['n-samples'][t]!.effective);
    results.results[group] = {
      alias: group,
      'acc,none': accs.reduce((a, b) => a + b, 0) / accs.length,
      'acc_stderr,none': stderrs.every((s) => typeof s === 'number') ? pooledSampleStderr(stderrs as number[], sizes) : 'N/A',
    };
    results.higher_is_better[group] = { acc: true };
  }
}
