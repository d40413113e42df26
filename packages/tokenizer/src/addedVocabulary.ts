// Added and special tokens, matched before the model sees the text (Hugging Face's
// `AddedVocabulary`): tokens with `normalized: false` are found in the raw input, the rest in the
// normalized text; leftmost-longest, with `single_word`, `lstrip` and `rstrip` honoured.
import { makePiece, type Piece, slicePiece } from './piece.js';
import type { Normalizer } from './normalizers/index.js';
import { escapeRegex, WHITE_SPACE, WORD_CHAR } from './regex.js';

/** One entry of tokenizer.json's `added_tokens`. */
export interface AddedToken {
  id: number;
  content: string;
  /** Only matches as a whole word (not inside one). */
  singleWord: boolean;
  /** Takes the white space on its left into the match. */
  lstrip: boolean;
  /** Takes the white space on its right into the match. */
  rstrip: boolean;
  /** Matched against the normalized text (else against the raw input). */
  normalized: boolean;
  /** Special: skipped by `decode(ids, { skipSpecialTokens: true })`. */
  special: boolean;
}

export class AddedVocabulary {
  readonly byId = new Map<number, AddedToken>();
  readonly byContent = new Map<string, AddedToken>();
  /** Normalized form of `normalized` tokens whose normalization changes them (used by decode). */
  private readonly normalizedForm = new Map<number, string>();
  private rawRe: RegExp | null = null;
  private normRe: RegExp | null = null;
  private readonly byMatch = new Map<string, AddedToken>();
  private readonly byNormMatch = new Map<string, AddedToken>();

  constructor(tokens: AddedToken[], normalizer: Normalizer | null) {
    for (const t of tokens) {
      if (t.content === '') continue;
      this.byId.set(t.id, t);
      this.byContent.set(t.content, t);
    }
    const raw: string[] = [];
    const norm: string[] = [];
    for (const t of this.byId.values()) {
      if (t.normalized) {
        let form = t.content;
        if (normalizer) form = normalizer.normalize(makePiece(t.content, false)).text;
        if (form !== t.content) this.normalizedForm.set(t.id, form);
        if (form === '') continue; // normalized away: it can never match
        norm.push(form);
        this.byNormMatch.set(form, t);
      } else {
        raw.push(t.content);
        this.byMatch.set(t.content, t);
      }
    }
    this.rawRe = alternation(raw);
    this.normRe = alternation(norm);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The string decode uses for an added token (its normalized form when that differs). */
  decodeForm(id: number): string | undefined {
    const t = this.byId.get(id);
    return t === undefined ? undefined : (this.normalizedForm.get(id) ?? t.content);
  }

  isSpecial(id: number): boolean {
    return this.byId.get(id)?.special === true;
  }

  /**
   * Cut `input` into pieces: added-token matches (with `addedId`) and normalized text between them.
   * `trackOffsets` keeps each unit's source range (else the fast path: no alignment arrays).
   */
  extractAndNormalize(input: string, normalizer: Normalizer | null, trackOffsets: boolean): Piece[] {
    const out: Piece[] = [];
    const first = this.split(makePiece(input, trackOffsets), this.rawRe, this.byMatch);
    for (const p of first) {
      if (p.addedId >= 0) {
        out.push(p);
        continue;
      }
      const normalized = normalizer ? normalizer.normalize(p) : p;
      for (const q of this.split(normalized, this.normRe, this.byNormMatch)) out.push(q);
    }
    return out;
  }

  private split(p: Piece, re: RegExp | null, table: Map<string, AddedToken>): Piece[] {
    const text = p.text;
    if (re === null || text.length === 0) return [p];
    const out: Piece[] = [];
    let startOffset = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const t = table.get(m[0]);
      if (t === undefined) continue;
      let start = m.index;
      let stop = start + m[0].length;
      if (t.singleWord) {
        const startSpace = start === 0 || !WORD_CHAR.test(lastChar(text, start));
        const stopSpace = stop === text.length || !WORD_CHAR.test(firstChar(text, stop));
        if (!startSpace || !stopSpace) continue;
      }
      if (t.lstrip) {
        let s = start;
        while (s > 0 && WHITE_SPACE.test(lastChar(text, s))) s -= lastChar(text, s).length;
        start = Math.max(s, startOffset);
      }
      if (t.rstrip) {
        while (stop < text.length && WHITE_SPACE.test(firstChar(text, stop))) stop += firstChar(text, stop).length;
      }
      if (startOffset < start) out.push(slicePiece(p, startOffset, start));
      out.push({ ...slicePiece(p, start, stop), addedId: t.id });
      startOffset = stop;
    }
    if (startOffset === 0) return [p];
    if (startOffset < text.length) out.push(slicePiece(p, startOffset, text.length));
    return out;
  }
}

/**
 * One regex matching any of `contents`, leftmost-longest (as Hugging Face's Aho-Corasick automaton):
 * the contents are laid out as a trie, `a(?:b(?:c)?)?`, so each character is tried once and the
 * greedy optional groups take the longest content that matches before shorter ones.
 */
export function alternation(contents: string[]): RegExp | null {
  if (contents.length === 0) return null;
  interface Node {
    end: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const c of new Set(contents)) {
    let node = root;
    for (const ch of c) {
      let n = node.next.get(ch);
      if (!n) node.next.set(ch, (n = { end: false, next: new Map() }));
      node = n;
    }
    node.end = true;
  }
  const emit = (node: Node): string => {
    const alts = [...node.next].map(([ch, child]) => escapeRegex(ch) + (child.next.size === 0 ? '' : child.end ? `(?:${emit(child)})?` : `(?:${emit(child)})`));
    return alts.join('|');
  };
  return new RegExp(emit(root), 'gu');
}

function lastChar(text: string, end: number): string {
  const c = text.charCodeAt(end - 1);
  return c >= 0xdc00 && c <= 0xdfff && end >= 2 ? text.slice(end - 2, end) : text.slice(end - 1, end);
}

function firstChar(text: string, start: number): string {
  return String.fromCodePoint(text.codePointAt(start)!);
}
