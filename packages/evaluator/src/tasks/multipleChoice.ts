// The multiple-choice tasks of the paper's Table 1 (harness 0.4.9, all version 1.0): one request
// per choice, (context, ' ' + choice), except WinoGrande, whose choices are contexts.
import { fieldError, intLabel, str, strList } from '../jsonl.js';
import { pyCapitalize, pyStrip } from '../pyText.js';
import type { MetricSpec, MultipleChoiceDoc, Task } from './task.js';

export const ACC: MetricSpec[] = [
  { name: 'acc', aggregation: 'mean', higherIsBetter: true },
  { name: 'acc_norm', aggregation: 'mean', higherIsBetter: true },
];

/** The zero-shot request list: the context, then each choice after the target delimiter ' '. */
export function choicesAfter(context: string, choices: string[], gold: number): MultipleChoiceDoc {
  return { kind: 'multiple_choice', requests: choices.map((c) => ({ context, continuation: ` ${c}` })), choices, gold };
}

/** HellaSwag's clean-up of WikiHow artefacts (tasks/hellaswag/utils.py `preprocess`). */
export function hellaswagPreprocess(text: string): string {
  let t = pyStrip(text);
  t = t.replaceAll(' [title]', '. ');
  t = t.replace(/\[.*?\]/g, '');
  return t.replaceAll('  ', ' ');
}

export const hellaswag: Task = {
  name: 'hellaswag',
  version: 1.0,
  outputType: 'multiple_choice',
  file: 'hellaswag.jsonl',
  source: 'Rowan/hellaswag (validation split: 10,042 rows)',
  fields: ['activity_label', 'ctx_a', 'ctx_b', 'endings', 'label'],
  metrics: ACC,
  toDoc(row) {
    const ctx = `${str(row, 'ctx_a')} ${pyCapitalize(str(row, 'ctx_b'))}`;
    const endings = strList(row, 'endings');
    return choicesAfter(hellaswagPreprocess(`${str(row, 'activity_label')}: ${ctx}`), endings.map(hellaswagPreprocess), intLabel(row, 'label', endings.length));
  },
};

export const piqa: Task = {
  name: 'piqa',
  version: 1.0,
  outputType: 'multiple_choice',
  file: 'piqa.jsonl',
  source: 'baber/piqa (validation split: 1,838 rows)',
  fields: ['goal', 'sol1', 'sol2', 'label'],
  metrics: ACC,
  toDoc(row) {
    return choicesAfter(`Question: ${str(row, 'goal')}\nAnswer:`, [str(row, 'sol1'), str(row, 'sol2')], intLabel(row, 'label', 2));
  },
};

function arc(name: 'arc_easy' | 'arc_challenge', source: string): Task {
  return {
    name,
    version: 1.0,
    outputType: 'multiple_choice',
    file: `${name}.jsonl`,
    source,
    fields: ['question', 'choices.text', 'choices.label', 'answerKey'],
    metrics: ACC,
    toDoc(row) {
      const choices = row.value.choices;
      if (typeof choices !== 'object' || choices === null) throw fieldError(row, 'choices', 'must be an object {text, label}');
      const texts = strList(row, 'text', choices as Record<string, unknown>);
      const labels = strList(row, 'label', choices as Record<string, unknown>);
      if (labels.length !== texts.length) throw fieldError(row, 'choices', `${texts.length} texts but ${labels.length} labels`);
      const key = str(row, 'answerKey');
      const gold = labels.indexOf(key);
      if (gold < 0) throw fieldError(row, 'answerKey', `${JSON.stringify(key)} is not one of the labels ${JSON.stringify(labels)}`);
      return choicesAfter(`Question: ${str(row, 'question')}\nAnswer:`, texts, gold);
    },
  };
}

export const arcEasy = arc('arc_easy', 'allenai/ai2_arc, ARC-Easy (test split: 2,376 rows)');
export const arcChallenge = arc('arc_challenge', 'allenai/ai2_arc, ARC-Challenge (test split: 1,172 rows)');

/**
 * WinoGrande's partial evaluation: each option fills the blank in its own context
 * (`sentence[:blank] + option`), and only the shared rest of the sentence is scored.
 */
export const winogrande: Task = {
  name: 'winogrande',
  version: 1.0,
  outputType: 'multiple_choice',
  file: 'winogrande.jsonl',
  source: 'allenai/winogrande, winogrande_xl (validation split: 1,267 rows)',
  fields: ['sentence', 'option1', 'option2', 'answer'],
  metrics: [{ name: 'acc', aggregation: 'mean', higherIsBetter: true }],
  toDoc(row) {
    const sentence = str(row, 'sentence');
    const blank = sentence.indexOf('_');
    if (blank < 0) throw fieldError(row, 'sentence', 'has no "_" blank');
    const answer = str(row, 'answer');
    if (answer !== '1' && answer !== '2') throw fieldError(row, 'answer', `must be "1" or "2", got ${JSON.stringify(answer)}`);
    const contexts = [str(row, 'option1'), str(row, 'option2')].map((o) => sentence.slice(0, blank) + o);
    const target = pyStrip(sentence.slice(blank + 1));
    return { kind: 'multiple_choice', requests: contexts.map((context) => ({ context, continuation: ` ${target}` })), choices: contexts, gold: answer === '1' ? 0 : 1 };
  },
};
