// wikitext (harness 0.4.9, version 2.0): each page is detokenized and scored whole with rolling
// windows; words and bytes are counted on the raw page, as the harness does.
import { str } from '../jsonl.js';
import { PY_WS, pyWhitespaceSplitCount, utf8Length } from '../pyText.js';
import type { Task } from './task.js';

const WS = `[${PY_WS}]`;

/** tasks/wikitext/preprocess_wikitext.py `wikitext_detokenizer`, step by step. */
export function wikitextDetokenize(page: string): string {
  let s = page;
  s = s.replaceAll("s '", "s'");
  s = s.replace(/\/' [0-9]\//g, "/'[0-9]/"); // as written upstream: a literal pattern and replacement
  s = s.replaceAll(' @-@ ', '-').replaceAll(' @,@ ', ',').replaceAll(' @.@ ', '.');
  for (const p of [':', ';', '.', '!', '?', ',']) s = s.replaceAll(` ${p} `, `${p} `);
  s = s.replace(new RegExp(`\\(${WS}*([^\\)]*?)${WS}*\\)`, 'gu'), '($1)');
  s = s.replace(new RegExp(`\\[${WS}*([^\\]]*?)${WS}*\\]`, 'gu'), '[$1]');
  s = s.replace(new RegExp(`\\{${WS}*([^}]*?)${WS}*\\}`, 'gu'), '{$1}');
  s = s.replace(new RegExp(`"${WS}*([^"]*?)${WS}*"`, 'gu'), '"$1"');
  s = s.replace(new RegExp(`'${WS}*([^']*?)${WS}*'`, 'gu'), "'$1'");
  s = s.replaceAll('= = = =', '====').replaceAll('= = =', '===').replaceAll('= =', '==');
  s = s.replaceAll(' \u00b0 ', '\u00b0');
  s = s.replaceAll(' \n', '\n').replaceAll('\n ', '\n');
  s = s.replaceAll(' N ', ' 1 ');
  return s.replaceAll(" 's", "'s");
}

export const wikitext: Task = {
  name: 'wikitext',
  version: 2.0,
  outputType: 'loglikelihood_rolling',
  file: 'wikitext.jsonl',
  source: 'EleutherAI/wikitext_document_level, wikitext-2-raw-v1 (test split: 62 pages)',
  fields: ['page'],
  metrics: [
    { name: 'word_perplexity', aggregation: 'weighted_perplexity', higherIsBetter: false },
    { name: 'byte_perplexity', aggregation: 'weighted_perplexity', higherIsBetter: false },
    { name: 'bits_per_byte', aggregation: 'bits_per_byte', higherIsBetter: false },
  ],
  toDoc(row) {
    const page = str(row, 'page');
    return { kind: 'loglikelihood_rolling', text: wikitextDetokenize(page), words: pyWhitespaceSplitCount(page), bytes: utf8Length(page) };
  },
};
