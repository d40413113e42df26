// GLUE and SuperGLUE as the harness (0.4.9.1) builds and scores them: the requests of one row of
// each task against the contexts and continuations its default.yaml and utilities make (written out
// by hand from those templates), and the metrics against their formulas on fixed vectors.
import { describe, expect, it } from 'vitest';
import {
  TASKS, TaskDataError, addGroupRows, binaryF1, cbMultiF1, evaluate, exactMatch, expandTaskNames, generalDetokenize, matthewsCorrcoef, normalizeAnswer,
  pooledSampleStderr, resultsTable, rowsOf, tokenF1, type LanguageModel, type MultipleChoiceDoc, type Pair,
} from './index.js';

function doc(task: string, row: Record<string, unknown>): MultipleChoiceDoc {
  return TASKS.get(task)!.toDoc(rowsOf([row], `${task}.jsonl`)[0]!) as MultipleChoiceDoc;
}

function requests(d: MultipleChoiceDoc): [string, string][] {
  return d.requests.map((r) => [r.context, r.continuation]);
}

describe('GLUE and SuperGLUE requests (one row each, as the harness\'s templates make them)', () => {
  it.each([
    ['cola', { sentence: 'The sailors rode the breeze clear of the rocks.', label: 1 }, 'The sailors rode the breeze clear of the rocks.\nQuestion: Does this sentence make sense?\nAnswer:', [' no', ' yes'], 1],
    ['mnli', { premise: 'The cat sat.', hypothesis: '  A cat sat  ', label: 0 }, 'The cat sat.\nQuestion: A cat sat. True, False or Neither?\nAnswer:', [' True', ' Neither', ' False'], 0],
    ['mnli_mismatch', { premise: 'P', hypothesis: 'It rained.', label: 2 }, 'P\nQuestion: It rained. True, False or Neither?\nAnswer:', [' True', ' Neither', ' False'], 2],
    ['mrpc', { sentence1: 'A b.', sentence2: 'B a.', label: 1 }, 'Sentence 1: A b.\nSentence 2: B a.\nQuestion: Do both sentences mean the same thing?\nAnswer:', [' no', ' yes'], 1],
    ['qnli', { question: 'Who?', sentence: 'Him.', label: 1 }, 'Who?\nHim.\nQuestion: Does this response answer the question?\nAnswer:', [' yes', ' no'], 1],
    ['qqp', { question1: 'Why?', question2: 'How come?', label: 0 }, 'Question 1: Why?\nQuestion 2: How come?\nQuestion: Do both questions ask the same thing?\nAnswer:', [' no', ' yes'], 0],
    ['rte', { sentence1: 'S1.', sentence2: 'S2.', label: 1 }, 'S1.\nQuestion: S2. True or False?\nAnswer:', [' True', ' False'], 1],
    ['sst2', { sentence: 'a gorgeous film ', label: 1 }, 'a gorgeous film \nQuestion: Is this sentence positive or negative?\nAnswer:', [' negative', ' positive'], 1],
    ['wnli', { sentence1: 'S1.', sentence2: 'S2.', label: 0 }, 'S1.\nQuestion: S2. True or False?\nAnswer:', [' False', ' True'], 0],
    ['boolq', { passage: 'Water boils at 100 C.', question: 'does water boil at 100 c', label: 1 }, 'Water boils at 100 C.\nQuestion: does water boil at 100 c?\nAnswer:', [' no', ' yes'], 1],
    ['cb', { premise: 'It is.', hypothesis: 'it is', label: 2 }, 'It is.\nQuestion: it is. True, False, or Neither?\nAnswer:', [' True', ' False', ' Neither'], 2],
    ['sglue_rte', { premise: 'P.', hypothesis: 'H.', label: 0 }, 'P.\nQuestion: H. True or False?\nAnswer:', [' True', ' False'], 0],
    ['multirc', { paragraph: 'Para.', question: 'Q?', answer: 'Ans', label: 1 }, 'Para.\nQuestion: Q?\nAnswer:', [' Ans\nIs the answer correct? yes', ' Ans\nIs the answer correct? no'], 1],
  ] as const)('%s', (task, row, context, continuations, gold) => {
    const d = doc(task, row);
    expect(requests(d)).toEqual(continuations.map((c) => [context, c]));
    expect(d.gold).toBe(gold);
  });

  it('wic: the word is sentence1[start1:end1], by code points', () => {
    const d = doc('wic', { sentence1: 'Déjà vu 🙂 bank loans.', sentence2: 'The river bank.', start1: 10, end1: 14, label: 0 });
    expect(d.requests[0]!.context).toBe("Sentence 1: Déjà vu 🙂 bank loans.\nSentence 2: The river bank.\nQuestion: Is the word 'bank' used in the same way in the two sentences above?\nAnswer:");
    expect(requests(d).map(([, c]) => c)).toEqual([' no', ' yes']);
  });

  it('wsc: the pronoun is marked *so* at its word index, and the passage detokenized', () => {
    const d = doc('wsc', { text: 'Mark told Pete many lies about himself , which Pete included in his book . He should have been more skeptical .', span1_index: 0, span1_text: 'Pete', span2_index: 15, span2_text: 'He', label: 0 });
    expect(d.requests[0]!.context).toBe('Passage: Mark told Pete many lies about himself, which Pete included in his book. *He* should have been more skeptical.\nQuestion: In the passage above, does the pronoun "*He*" refer to "*Pete*"?\nAnswer:');
    expect(generalDetokenize('( a ) " b " do n\'t , x .')).toBe('(a)"b"don\'t, x.');
  });

  it('copa: the premise loses its last character, a connector, the choices lower-cased after two spaces', () => {
    const d = doc('copa', { premise: 'The man broke his toe. ', choice1: 'He dropped a hammer on his foot.', choice2: 'He got a hole in his sock.', question: 'cause', label: 0 });
    expect(requests(d)).toEqual([
      ['The man broke his toe because', '  he dropped a hammer on his foot.'],
      ['The man broke his toe because', '  he got a hole in his sock.'],
    ]);
    expect(d.gold).toBe(0);
    expect(doc('copa', { premise: 'I x.', choice1: 'A.', choice2: 'B.', question: 'effect', label: 1 }).requests[1]).toEqual({ context: 'I x therefore', continuation: '  b.' });
    expect(() => doc('copa', { premise: 'I x.', choice1: 'A.', choice2: 'B.', question: 'why', label: 1 })).toThrow(/copa\.jsonl:1: field "question": must be "cause" or "effect"/);
  });

  it('record: the passage and its highlights, entities (sorted, once each) in the placeholder, and F1/EM over the answers', () => {
    const d = doc('record', {
      passage: 'Tokyo hosted the games.\n@highlight\nBig crowds\n@highlight\nNew records ',
      query: '@placeholder was the host city of @placeholder',
      entities: ['Tokyo', 'Paris', 'Tokyo'],
      answers: ['Tokyo', 'tokyo'],
    });
    const context = 'Tokyo hosted the games.\n\n  - Big crowds.\n  - New records.\n';
    expect(requests(d)).toEqual([
      [context, '   - Paris was the host city of Paris'],
      [context, '   - Tokyo was the host city of Tokyo'],
    ]);
    expect(d.choices).toEqual(['  - Paris was the host city of Paris', '  - Tokyo was the host city of Tokyo']);
    expect(d.gold).toBe(1); // the first answer (sorted: 'Tokyo' < 'tokyo') as a choice
    expect(d.score!(1)).toEqual({ f1: 1, em: 1 });
    expect(d.score!(0)).toEqual({ f1: 0, em: 0 });
  });

  it('refuses a row without a field or with a label out of range, naming the file, line and field', () => {
    expect(() => doc('boolq', { passage: 'p', label: 1 })).toThrow(TaskDataError);
    expect(() => doc('boolq', { passage: 'p', label: 1 })).toThrow(/boolq\.jsonl:1: field "question" must be a string/);
    expect(() => doc('cb', { premise: 'p', hypothesis: 'h', label: 3 })).toThrow(/field "label" must be an integer label in \[0, 3\)/);
    expect(() => doc('wic', { sentence1: 'a', sentence2: 'b', start1: -1, end1: 1, label: 0 })).toThrow(/field "start1": must be an integer >= 0/);
  });
});

describe('the metrics (sklearn\'s and SQuAD\'s formulas on fixed vectors)', () => {
  const pairs = (golds: number[], preds: number[]): Pair[] => golds.map((g, i) => [g, preds[i]!]);

  it('matthews_corrcoef: (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) in the binary case, 0 when a margin is constant', () => {
    // TP 3, TN 3, FP 1, FN 1: (9 − 1) / √(4·4·4·4) = 0.5
    expect(matthewsCorrcoef(pairs([1, 1, 1, 0, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0, 1, 0]))).toBeCloseTo(0.5, 15);
    // sklearn's documented example: y_true [+1, +1, +1, -1], y_pred [+1, -1, +1, +1] → -1/3
    expect(matthewsCorrcoef(pairs([1, 1, 1, -1], [1, -1, 1, 1]))).toBeCloseTo(-1 / 3, 15);
    expect(matthewsCorrcoef(pairs([1, 0, 1], [1, 1, 1]))).toBe(0);
    // three classes, every prediction right: 1
    expect(matthewsCorrcoef(pairs([0, 1, 2, 2], [0, 1, 2, 2]))).toBeCloseTo(1, 15);
  });

  it('f1: 2·TP / (2·TP + FP + FN) of label 1 (0 with no positive anywhere); CB: the mean over labels 0, 1, 2', () => {
    expect(binaryF1(pairs([1, 1, 1, 0, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0, 1, 0]))).toBe(0.75);
    expect(binaryF1(pairs([0, 0], [0, 0]))).toBe(0);
    // class 0: 2/3, class 1: 0, class 2: 2/3
    expect(cbMultiF1(pairs([0, 1, 2, 0], [0, 2, 2, 1]))).toBeCloseTo(4 / 9, 15);
  });

  it('SQuAD: lower case, no punctuation or articles; exact match and token F1', () => {
    expect(normalizeAnswer('The  Cat, sat!  a theatre')).toBe('cat sat theatre');
    expect(exactMatch('The cat.', 'cat')).toBe(1);
    expect(tokenF1('the big cat', 'a cat')).toBeCloseTo(2 / 3, 15); // precision 1, recall 1/2
    expect(tokenF1('cat cat dog', 'cat')).toBeCloseTo(0.5, 15); // precision 1, recall 1/3
    expect(tokenF1('a', 'the')).toBe(1); // both empty after normalisation
    expect(tokenF1('a', 'dog')).toBe(0);
  });

  it('pooled_sample_stderr: √(Σ (n−1)·se²·n / (Σn − k) / Σn)', () => {
    expect(pooledSampleStderr([0.1, 0.2], [10, 30])).toBeCloseTo(Math.sqrt((9 * 0.01 * 10 + 29 * 0.04 * 30) / 38 / 40), 15);
  });
});

describe('scoring GLUE and SuperGLUE, and their groups', () => {
  /** A model that prefers, for each context, the continuation listed first in `prefer` that it is offered. */
  function preferring(prefer: string[]): LanguageModel {
    return {
      async loglikelihood(requests) {
        return requests.map((r) => ({ logprob: prefer.some((p) => r.continuation.endsWith(p)) ? -1 : -2, isGreedy: false }));
      },
      async loglikelihoodRolling() {
        return [];
      },
      async generateUntil() {
        return [];
      },
    };
  }

  it('mcc and f1 from (gold, pred) pairs, bootstrapped standard errors, CB\'s F1 without one, ReCoRD\'s own metrics, and the group rows', async () => {
    const lm = preferring([' yes', ' True', 'Tokyo']);
    const labels = [1, 1, 0, 1, 0, 0];
    const cola = labels.map((label, i) => ({ sentence: `s${i}`, label }));
    const mrpc = labels.map((label, i) => ({ sentence1: `a${i}`, sentence2: `b${i}`, label }));
    const cb = [0, 1, 2, 0].map((label, i) => ({ premise: `p${i}`, hypothesis: `h${i}`, label }));
    const boolq = labels.map((label, i) => ({ passage: `p${i}`, question: `q${i}`, label }));
    const record = [{ passage: 'x', query: 'The winner: @placeholder', entities: ['Tokyo', 'Paris'], answers: ['Paris'] }, { passage: 'y', query: 'The winner: @placeholder', entities: ['Tokyo', 'Rome'], answers: ['Tokyo'] }];
    const data = [['cola', cola], ['mrpc', mrpc], ['cb', cb], ['boolq', boolq], ['record', record]] as const;
    const results = await evaluate(lm, data.map(([name, rows]) => ({ task: TASKS.get(name)!, rows: rowsOf(rows as unknown as Record<string, unknown>[], `${name}.jsonl`) })), { bootstrapIters: 1000 });
    // always "yes" (label 1): mcc 0 (a constant prediction), f1 = 2·3 / (2·3 + 3) = 2/3, acc 1/2
    expect(results.results.cola!['mcc,none']).toBe(0);
    expect(results.results.mrpc!['f1,none']).toBeCloseTo(2 / 3, 15);
    expect(results.results.mrpc!['acc,none']).toBe(0.5);
    expect(typeof results.results.mrpc!['f1_stderr,none']).toBe('number');
    // always "True" (label 0): class 0 F1 = 2·2/(2·2 + 2) = 2/3, classes 1 and 2: 0
    expect(results.results.cb!['f1,none']).toBeCloseTo(2 / 9, 15);
    expect(results.results.cb!['f1_stderr,none']).toBe('N/A');
    expect(results.results.record!['em,none']).toBe(0.5);
    expect(results.results.record!['f1,none']).toBe(0.5);
    expect(results.versions).toMatchObject({ cola: 1, mrpc: 1, cb: 1, boolq: 2, record: 2 });
    const { tasks, groups } = expandTaskNames(['glue', 'boolq', 'super-glue-lm-eval-v1']);
    expect(groups).toEqual(['glue', 'super-glue-lm-eval-v1']);
    expect(tasks).toEqual(['cola', 'mnli', 'mnli_mismatch', 'mrpc', 'qnli', 'qqp', 'rte', 'sst2', 'wnli', 'boolq', 'cb', 'copa', 'multirc', 'record', 'sglue_rte', 'wic', 'wsc']);
    addGroupRows(results, groups);
    expect(results.results.glue!['acc,none']).toBe(0.5); // mrpc only (cola has mcc)
    expect(results.results['super-glue-lm-eval-v1']!['acc,none']).toBeCloseTo((0.5 + 0.5) / 2, 15); // cb and boolq
    expect(resultsTable(results)).toMatch(/\| glue \| N\/A \| acc \| 0\.5000 \|/);
  });
});
