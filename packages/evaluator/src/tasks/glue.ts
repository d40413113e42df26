// GLUE as lm-evaluation-harness 0.4.9.1 scores it zero-shot (lm_eval/tasks/glue/*/default.yaml, all
// tagged `glue`): a prompt, and the label words as choices after the target delimiter ' '. Rows
// are Hugging Face's nyu-mll/glue (validation splits; MNLI's validation_matched and _mismatched).
import { pyStrip } from '../pyText.js';
import { ACC, labelledTask } from './labelled.js';
import type { MetricSpec } from './task.js';

const F1: MetricSpec = { name: 'f1', aggregation: 'f1', higherIsBetter: true };
const MCC: MetricSpec = { name: 'mcc', aggregation: 'matthews_corrcoef', higherIsBetter: true };

/** MNLI's doc_to_text (glue/mnli/utils.py): the hypothesis stripped and ended with a period. */
function mnliText(f: (name: string) => string): string {
  const h = pyStrip(f('hypothesis'));
  return `${f('premise')}\nQuestion: ${h}${h.endsWith('.') ? '' : '.'} True, False or Neither?\nAnswer:`;
}

export const cola = labelledTask({ name: 'cola', version: 1.0, source: 'nyu-mll/glue, cola (validation split: 1,043 rows)', fields: ['sentence'], metrics: [MCC], choices: ['no', 'yes'], text: (f) => `${f('sentence')}\nQuestion: Does this sentence make sense?\nAnswer:` });
export const mnli = labelledTask({ name: 'mnli', version: 1.0, source: 'nyu-mll/glue, mnli (validation_matched split: 9,815 rows)', fields: ['premise', 'hypothesis'], metrics: [ACC], choices: ['True', 'Neither', 'False'], text: mnliText });
export const mnliMismatch = labelledTask({ name: 'mnli_mismatch', version: 1.0, source: 'nyu-mll/glue, mnli (validation_mismatched split: 9,832 rows)', fields: ['premise', 'hypothesis'], metrics: [ACC], choices: ['True', 'Neither', 'False'], text: mnliText });
export const mrpc = labelledTask({ name: 'mrpc', version: 1.0, source: 'nyu-mll/glue, mrpc (validation split: 408 rows)', fields: ['sentence1', 'sentence2'], metrics: [ACC, F1], choices: ['no', 'yes'], text: (f) => `Sentence 1: ${f('sentence1')}\nSentence 2: ${f('sentence2')}\nQuestion: Do both sentences mean the same thing?\nAnswer:` });
export const qnli = labelledTask({ name: 'qnli', version: 1.0, source: 'nyu-mll/glue, qnli (validation split: 5,463 rows)', fields: ['question', 'sentence'], metrics: [ACC], choices: ['yes', 'no'], text: (f) => `${f('question')}\n${f('sentence')}\nQuestion: Does this response answer the question?\nAnswer:` });
export const qqp = labelledTask({ name: 'qqp', version: 2.0, source: 'nyu-mll/glue, qqp (validation split: 40,430 rows)', fields: ['question1', 'question2'], metrics: [ACC, F1], choices: ['no', 'yes'], text: (f) => `Question 1: ${f('question1')}\nQuestion 2: ${f('question2')}\nQuestion: Do both questions ask the same thing?\nAnswer:` });
export const rte = labelledTask({ name: 'rte', version: 1.0, source: 'nyu-mll/glue, rte (validation split: 277 rows)', fields: ['sentence1', 'sentence2'], metrics: [ACC], choices: ['True', 'False'], text: (f) => `${f('sentence1')}\nQuestion: ${f('sentence2')} True or False?\nAnswer:` });
export const sst2 = labelledTask({ name: 'sst2', version: 1.0, source: 'nyu-mll/glue, sst2 (validation split: 872 rows)', fields: ['sentence'], metrics: [ACC], choices: ['negative', 'positive'], text: (f) => `${f('sentence')}\nQuestion: Is this sentence positive or negative?\nAnswer:` });
export const wnli = labelledTask({ name: 'wnli', version: 2.0, source: 'nyu-mll/glue, wnli (validation split: 71 rows)', fields: ['sentence1', 'sentence2'], metrics: [ACC], choices: ['False', 'True'], text: (f) => `${f('sentence1')}\nQuestion: ${f('sentence2')} True or False?\nAnswer:` });

/** The harness's `glue` tag, in its listing order. */
export const GLUE = [cola, mnli, mnliMismatch, mrpc, qnli, qqp, rte, sst2, wnli];
