// SuperGLUE as lm-evaluation-harness 0.4.9.1 scores it zero-shot (lm_eval/tasks/super_glue/*/
// default.yaml and the Python utilities they name, all tagged `super-glue-lm-eval-v1`). Rows are
// Hugging Face's aps/super_glue (validation splits; WSC's `wsc.fixed` configuration).
import { fieldError, intLabel, str, strList, type Row } from '../jsonl.js';
import { pySlice, pySplit, pyStrip } from '../pyText.js';
import { exactMatch, maxOverGold, tokenF1 } from '../squad.js';
import { ACC, labelledTask } from './labelled.js';
import { choicesAfter } from './multipleChoice.js';
import type { MetricSpec, MultipleChoiceDoc, Task } from './task.js';

const CB_F1: MetricSpec = { name: 'f1', aggregation: 'cb_multi_f1', higherIsBetter: true };

function int(row: Row, field: string): number {
  const v = row.value[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw fieldError(row, field, `must be an integer >= 0, got ${JSON.stringify(v)}`);
  return v;
}

export const boolq = labelledTask({ name: 'boolq', version: 2.0, source: 'aps/super_glue, boolq (validation split: 3,270 rows)', fields: ['passage', 'question'], metrics: [ACC], choices: ['no', 'yes'], text: (f) => `${f('passage')}\nQuestion: ${f('question')}?\nAnswer:` });
export const cb = labelledTask({ name: 'cb', version: 1.0, source: 'aps/super_glue, cb (validation split: 56 rows)', fields: ['premise', 'hypothesis'], metrics: [ACC, CB_F1], choices: ['True', 'False', 'Neither'], text: (f) => `${f('premise')}\nQuestion: ${f('hypothesis')}. True, False, or Neither?\nAnswer:` });
export const sglueRte = labelledTask({ name: 'sglue_rte', version: 0.0, source: 'aps/super_glue, rte (validation split: 277 rows)', fields: ['premise', 'hypothesis'], metrics: [ACC], choices: ['True', 'False'], text: (f) => `${f('premise')}\nQuestion: ${f('hypothesis')} True or False?\nAnswer:` });
export const wic = labelledTask({ name: 'wic', version: 1.0, source: 'aps/super_glue, wic (validation split: 638 rows)', fields: ['sentence1', 'sentence2', 'start1', 'end1'], metrics: [ACC], choices: ['no', 'yes'], text: (f, r) =>
  `Sentence 1: ${f('sentence1')}\nSentence 2: ${f('sentence2')}\nQuestion: Is the word '${pySlice(f('sentence1'), int(r, 'start1'), int(r, 'end1'))}' used in the same way in the two sentences above?\nAnswer:` });

/** lm_eval.utils.general_detokenize. */
export function generalDetokenize(s: string): string {
  return s.replaceAll(" n't", "n't").replaceAll(' )', ')').replaceAll('( ', '(').replaceAll('" ', '"').replaceAll(' "', '"').replace(/ (['.,])/g, '$1');
}

/** WSC's default_doc_to_text (super_glue/wsc/preprocess_wsc.py): the pronoun marked *so* in the passage. */
export function wscText(row: Row): string {
  const raw = str(row, 'text');
  const pronoun = str(row, 'span2_text');
  const pre = pySplit(raw).slice(0, int(row, 'span2_index')).join(' ');
  const post = pySlice(raw, [...pre].length + [...pronoun].length + 1);
  const passage = generalDetokenize(`${pre} *${pronoun}*${post}`);
  return `Passage: ${passage}\nQuestion: In the passage above, does the pronoun "*${pronoun}*" refer to "*${str(row, 'span1_text')}*"?\nAnswer:`;
}
export const wsc = labelledTask({ name: 'wsc', version: 1.0, source: 'aps/super_glue, wsc.fixed (validation split: 104 rows)', fields: ['text', 'span1_text', 'span2_index', 'span2_text'], metrics: [ACC], choices: ['no', 'yes'], text: (_, r) => wscText(r) });

/** MultiRC: the answer and a yes/no question as the two choices (the harness's order: yes, then no). */
export const multirc: Task = {
  name: 'multirc', version: 2.0, outputType: 'multiple_choice', file: 'multirc.jsonl', source: 'aps/super_glue, multirc (validation split: 4,848 rows)',
  fields: ['paragraph', 'question', 'answer', 'label'], metrics: [ACC],
  toDoc(row) {
    const answer = str(row, 'answer');
    return choicesAfter(`${str(row, 'paragraph')}\nQuestion: ${str(row, 'question')}\nAnswer:`, [`${answer}\nIs the answer correct? yes`, `${answer}\nIs the answer correct? no`], intLabel(row, 'label', 2));
  },
};

/** COPA (super_glue/copa/utils.py): the premise without its last character, a connector, and each lower-cased choice. */
export const copa: Task = {
  name: 'copa', version: 1.0, outputType: 'multiple_choice', file: 'copa.jsonl', source: 'aps/super_glue, copa (validation split: 100 rows)',
  fields: ['premise', 'choice1', 'choice2', 'question', 'label'], metrics: [ACC],
  toDoc(row) {
    const question = str(row, 'question');
    const connector = question === 'cause' ? 'because' : question === 'effect' ? 'therefore' : undefined;
    if (!connector) throw fieldError(row, 'question', `must be "cause" or "effect", got ${JSON.stringify(question)}`);
    const convert = (c: string) => ` ${[...c].slice(0, 1).join('').toLowerCase()}${[...c].slice(1).join('')}`;
    const choices = [convert(str(row, 'choice1')), convert(str(row, 'choice2'))];
    // the target is the correct choice's text; its index in the choices is the gold (the first, if equal)
    return choicesAfter(`${pySlice(pyStrip(str(row, 'premise')), 0, -1)} ${connector}`, choices, choices.indexOf(choices[intLabel(row, 'label', 2)]!));
  },
};

/** Python's sorted(set(xs)) on strings (code point order). */
function sortedSet(xs: string[]): string[] {
  const cmp = (a: string, b: string) => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  return [...new Set(xs)].sort(cmp);
}

/** ReCoRD (super_glue/record/util.py): each entity in the query's placeholder; F1 and EM of the chosen entity against the answers. */
export const record: Task = {
  name: 'record', version: 2.0, outputType: 'multiple_choice', file: 'record.jsonl', source: 'aps/super_glue, record (validation split: 10,000 rows)',
  fields: ['passage', 'query', 'entities', 'answers'],
  metrics: [{ name: 'f1', aggregation: 'mean', higherIsBetter: true }, { name: 'em', aggregation: 'mean', higherIsBetter: true }],
  toDoc(row): MultipleChoiceDoc {
    const [initial, ...highlights] = pyStrip(str(row, 'passage')).split('\n@highlight\n');
    const context = `${initial}\n\n${highlights.map((h) => `  - ${h}.\n`).join('')}`;
    const query = str(row, 'query');
    const entities = sortedSet(strList(row, 'entities'));
    const answers = sortedSet(strList(row, 'answers'));
    const format = (entity: string) => `  - ${query}`.replaceAll('@placeholder', entity);
    const choices = entities.map(format);
    const gold = choices.indexOf(format(answers[0]!)); // -1 (the harness's -100) when the answer is no entity
    return {
      ...choicesAfter(context, choices, gold),
      score: (pred) => ({ f1: maxOverGold(tokenF1, entities[pred]!, answers), em: maxOverGold(exactMatch, entities[pred]!, answers) }),
    };
  },
};

/** The harness's `super-glue-lm-eval-v1` tag. */
export const SUPER_GLUE = [boolq, cb, copa, multirc, record, sglueRte, wic, wsc];
