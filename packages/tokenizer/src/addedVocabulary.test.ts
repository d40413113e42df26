import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alternation } from './addedVocabulary.js';

/** Leftmost-longest non-overlapping matches, by brute force. */
function bruteForce(tokens: string[], text: string): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i < text.length; ) {
    const hits = tokens.filter((t) => t.length > 0 && text.startsWith(t, i)).sort((a, b) => b.length - a.length);
    if (hits.length > 0) {
      out.push([i, hits[0]!]);
      i += hits[0]!.length;
    } else i++;
  }
  return out;
}

describe('added-token matching', () => {
  it('the trie regex finds the leftmost-longest matches (as an Aho-Corasick automaton would)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '<', '|'), minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '<', '|', 'c'), maxLength: 40 }),
        (tokens, text) => {
          const re = alternation(tokens)!;
          const got = [...text.matchAll(re)].map((m) => [m.index, m[0]] as [number, string]);
          expect(got).toEqual(bruteForce(tokens, text));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
