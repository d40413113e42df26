// The hand-written GPT-2 scanner must cut text exactly where the regex does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAR_POOLS } from '@tokenformer/testing/text';
import { GPT2_REGEX } from './byteLevel.js';
import { scanGpt2 } from './gpt2Scanner.js';

const sticky = new RegExp(GPT2_REGEX.source, 'uy');
const global = new RegExp(GPT2_REGEX.source, 'gu');

function scanned(text: string): string[] {
  const out: string[] = [];
  scanGpt2(text, sticky, (s, e) => out.push(text.slice(s, e)));
  return out;
}

describe('GPT-2 scanner', () => {
  it('splits like the GPT-2 regex on ASCII-heavy and mixed text', () => {
    const ascii = fc.constantFrom(...'ab Z09\'sdtmlrve \n\t\r\x0b\x0c\x1f!?.,-_"\''.split(''), "'s", "'ll", "'re", "'ve", "'S", '  ', ' \n');
    const other = fc.constantFrom(...Object.values(CHAR_POOLS).flat());
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 5, arbitrary: ascii }, { weight: 1, arbitrary: other }), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(scanned(text)).toEqual([...text.matchAll(global)].map((m) => m[0]));
      }),
      { numRuns: 20000 },
    );
  });
});
