// Texts for tokenizer parity tests: every kind of input a tokenizer gets wrong first. Fixed
// strings plus seeded random ones, so a failure names a reproducible input.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sotuTexts } from './corpus.js';
import { repoRoot } from './npmAsset.js';
import { seededRandom } from './rng.js';

export interface ParityText {
  kind: string;
  text: string;
}



/** Characters random texts are drawn from: one pool per script or hazard. */
export const CHAR_POOLS: Record<string, string[]> = {
  ascii: [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'],
  punct: [...`.,;:!?'"()[]{}<>-_=+*/\\|@#$%^&~\``],
  space: [' ', ' ', ' ', '  ', '\n', '\t', '\r\n', '\u00a0', '\u3000', '\u2028', '\u0085', '\u200b', '\ufeff'],
  latin: [...'éèêëàâäôöûüçñßøåæœÉÈÀÖÜÇÑ'],
  combining: ['e\u0301', 'a\u0308', 'o\u0302', 'n\u0303', 'u\u0308\u0301', '\u0301', '\u0327'],
  cjk: [...'日本語中文字漢字のテキストカタカナひらがな한국어텍스트'],
  hangulJamo: ['\u1100\u1161', '\u1100\u1161\u11a8', '\u1112\u1161\u11ab'],
  arabic: [...'مرحبابالعالمالعربية', '\u064b', '\u0651'],
  indic: [...'नमस्तेहिन्दीภาษาไทย'],
  emoji: ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '❤️', '🏳️‍🌈', '🤖'],
  control: ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0080', '\u009f'],
  digits: [...'0123456789', '٣', '४', '½', 'Ⅻ'],
  contraction: ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T"],
};

/** A random string of `len` draws from the given pools (all pools when none given). */
export function randomText(rand: () => number, len: number, pools = Object.keys(CHAR_POOLS)): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const pool = CHAR_POOLS[pools[Math.floor(rand() * pools.length)]!]!;
    s += pool[Math.floor(rand() * pool.length)]!;
  }
  return s;
}

/** The parity corpus. `specials` are the tokenizer's special tokens, spliced into texts. */
export function parityCorpus(specials: string[], seed = 1): ParityText[] {
  const rand = seededRandom(seed);
  const out: ParityText[] = [];
  const add = (kind: string, text: string): void => {
    out.push({ kind, text });
  };
  // English prose: paragraphs from the embedded corpus, early and late addresses
  const sotu = sotuTexts();
  for (const doc of [sotu[0]!, sotu[100]!, sotu[sotu.length - 1]!]) {
    for (const para of doc.split(/\n+/).slice(0, 40)) if (para.trim()) add('prose', para);
  }
  add('prose', sotu[sotu.length - 2]!); // one whole address
  // Code: this repository's own sources
  const srcDir = join(repoRoot(), 'packages', 'tokenizer', 'src');
  for (const f of readdirSync(srcDir).filter((x) => x.endsWith('.ts')).sort().slice(0, 8)) add('code', readFileSync(join(srcDir, f), 'utf8'));
  add('code', 'def f(x):\n\treturn {"a": [1, 2, 3], \'b\': None}  # comment\n\n\nif __name__ == "__main__":\n    print(f(0x1F))\n');
  // White-space runs of every length NeoX-20B has tokens for, and mixes
  for (let n = 1; n <= 30; n++) add('whitespace', `a${' '.repeat(n)}b${'\t'.repeat(n % 5)}\n${' '.repeat(n)}c`);
  for (let i = 0; i < 30; i++) add('whitespace', randomText(rand, 40, ['space', 'ascii']));
  add('whitespace', '   \n\n\n   \t\t  \r\n  ');
  add('whitespace', ' ');
  add('whitespace', '');
  // Numbers
  add('numbers', '3.14159 2,718,281 -42 1e-10 0x1F 1/2 12:30 2024-11-27 +1 (555) 010-9999 99% $1,000,000.00');
  for (let i = 0; i < 20; i++) add('numbers', Array.from({ length: 8 }, () => String(Math.floor(rand() * 10 ** (1 + Math.floor(rand() * 12))))).join(rand() < 0.5 ? ' ' : ','));
  // Scripts and symbols
  add('emoji', 'Family 👨‍👩‍👧‍👦, thumbs 👍🏽👍🏿, flags 🇫🇷🇯🇵, keycap 1️⃣, rainbow 🏳️‍🌈, robot🤖robot');
  add('cjk', '日本語のテキストです。中文文本，包括标点符号！한국어 텍스트도 있습니다.');
  add('arabic', 'مرحبا بالعالم! هذا نص عربي مع أرقام ١٢٣ وتشكيل: مُحَمَّد');
  add('indic', 'नमस्ते दुनिया। ภาษาไทยไม่มีช่องว่าง עברית');
  add('combining', 'cafe\u0301 nai\u0308ve A\u030angstro\u0308m \u1100\u1161\u11a8 e\u0301\u0301\u0301 \u0301start');
  add('combining', 'Ångström'.normalize('NFD'));
  add('control', 'a\u0000b\u0001c\u0007d\u001be\u007ff\u0080g\u009fh\u200bi\u2028j\u2029k\u0085l\ufeffm');
  add('surrogates', 'lone \ud800 high, lone \udc00 low, pair \ud83d\ude00, reversed \ude00\ud83d end\ud800');
  // Very long words
  add('long', 'a'.repeat(5000));
  add('long', randomText(rand, 3000, ['ascii']).replace(/\s/g, ''));
  add('long', `https://example.com/${'path/'.repeat(200)}?q=${'x'.repeat(500)}`);
  add('long', 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(40));
  add('long', '😀'.repeat(300));
  // Special tokens inside text
  for (const sp of specials) {
    add('special', `before${sp}after`);
    add('special', `${sp}${sp} ${sp}\n${sp}`);
    add('special', `word ${sp} word  ${sp}  end`);
    add('special', `${sp.slice(0, -1)} partial ${sp.slice(1)}`);
  }
  // Random mixtures
  for (let i = 0; i < 400; i++) add('random', randomText(rand, Math.floor(rand() * 60)));
  for (let i = 0; i < 100; i++) {
    let t = randomText(rand, 20);
    if (specials.length > 0) t += specials[Math.floor(rand() * specials.length)]! + randomText(rand, 10);
    add('random+special', t);
  }
  return out;
}
