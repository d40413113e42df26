// Compare our Tokenizer with Hugging Face's own library (`tokenizers` 0.23.2, Rust, on npm) on a
// list of texts: ids, tokens, offsets and decodes. Mismatches are collected, not thrown one by
// one, so a failing test shows every text that differs.
import { Tokenizer as HfTokenizer } from 'tokenizers';
import type { ParityText } from '@tokenformer/testing/text';
import type { Tokenizer } from './tokenizer.js';

export { HfTokenizer };

/** Hugging Face reports offsets in code points; ours are UTF-16 units. */
export function codePointToUnit(text: string): number[] {
  const map: number[] = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return map;
}

export interface ParityOptions {
  /** Compare offsets for this text (default: always). */
  checkOffsets?: (text: string) => boolean;
}

export async function parityMismatches(ours: Tokenizer, hf: HfTokenizer, texts: ParityText[], opts: ParityOptions = {}): Promise<string[]> {
  const bad: string[] = [];
  const show = (t: ParityText): string => `[${t.kind}] ${JSON.stringify(t.text.slice(0, 60))}`;
  for (const t of texts) {
    const theirs = await hf.encode(t.text);
    const mine = ours.encode(t.text);
    const ids = theirs.getIds();
    if (JSON.stringify(mine.ids) !== JSON.stringify(ids)) {
      bad.push(`${show(t)} ids: ours ${JSON.stringify(mine.ids.slice(0, 20))} vs ${JSON.stringify(ids.slice(0, 20))}`);
      continue;
    }
    const fast = ours.encodeIds(t.text);
    if (JSON.stringify(fast) !== JSON.stringify(ids)) bad.push(`${show(t)} encodeIds differs from encode`);
    if (JSON.stringify(mine.tokens) !== JSON.stringify(theirs.getTokens())) bad.push(`${show(t)} tokens differ`);
    if (opts.checkOffsets?.(t.text) ?? true) {
      const map = codePointToUnit(t.text);
      const expected = theirs.getOffsets().map(([a, b]) => [map[a!], map[b!]]);
      if (JSON.stringify(mine.offsets) !== JSON.stringify(expected)) {
        const k = mine.offsets.findIndex((o, i) => JSON.stringify(o) !== JSON.stringify(expected[i]));
        bad.push(`${show(t)} offsets differ at token ${k}: ours ${JSON.stringify(mine.offsets[k])} vs ${JSON.stringify(expected[k])}`);
      }
    }
    for (const skip of [false, true]) {
      const d = await hf.decode(ids, skip);
      if (ours.decode(ids, { skipSpecialTokens: skip }) !== d) bad.push(`${show(t)} decode(skipSpecialTokens=${skip}) differs`);
    }
  }
  return bad;
}
