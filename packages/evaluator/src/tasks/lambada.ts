// lambada_openai (harness 0.4.9, version 1.0): context = every word but the last (split on ' '),
// target = ' ' + the last word; acc is whether the target is the greedy continuation.
import { str } from '../jsonl.js';
import type { Task } from './task.js';

export const lambadaOpenai: Task = {
  name: 'lambada_openai',
  version: 1.0,
  outputType: 'loglikelihood',
  file: 'lambada_openai.jsonl',
  source: 'EleutherAI/lambada_openai (default config, test split: 5,153 rows)',
  fields: ['text'],
  metrics: [
    { name: 'perplexity', aggregation: 'perplexity', higherIsBetter: false },
    { name: 'acc', aggregation: 'mean', higherIsBetter: true },
  ],
  toDoc(row) {
    const words = str(row, 'text').split(' ');
    return { kind: 'loglikelihood', request: { context: words.slice(0, -1).join(' '), continuation: ` ${words[words.length - 1]}` } };
  },
};
