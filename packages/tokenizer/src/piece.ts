// A piece of text on its way through the pipeline, and where each of its UTF-16 units came from.

/**
 * `text` is the piece as the next stage sees it. `align`, when offsets are tracked, holds for each
 * UTF-16 unit of `text` the [start, end) range of the input string it came from (two Int32s per
 * unit); it is `null` on the fast ids-only path. `byteLevel` marks text whose UTF-8 bytes the model
 * must still map to GPT-2's byte alphabet (the ByteLevel pre-tokenizer sets it; the mapping is done
 * lazily so that a cache hit never pays for it). `addedId` is set on an added/special token match.
 */
export interface Piece {
  text: string;
  align: Int32Array | null;
  byteLevel: boolean;
  addedId: number;
}

export const NO_ID = -1;

export function makePiece(text: string, trackOffsets: boolean, origin = 0): Piece {
  let align: Int32Array | null = null;
  if (trackOffsets) {
    align = new Int32Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      align[2 * i] = origin + i;
      align[2 * i + 1] = origin + i + 1;
    }
  }
  return { text, align, byteLevel: false, addedId: NO_ID };
}

/** The sub-piece [start, end) (UTF-16 indices of `p.text`). */
export function slicePiece(p: Piece, start: number, end: number): Piece {
  if (start === 0 && end === p.text.length) return p;
  return {
    text: p.text.slice(start, end),
    align: p.align === null ? null : p.align.slice(2 * start, 2 * end),
    byteLevel: p.byteLevel,
    addedId: p.addedId,
  };
}

/** The input range a whole piece covers: [first unit's start, last unit's end]. */
export function pieceSpan(p: Piece): [number, number] {
  const a = p.align;
  if (a === null || a.length === 0) return [0, 0];
  return [a[0]!, a[a.length - 1]!];
}

/**
 * One step of a transformation: `out` replaces the units [start, end) of the current text. An
 * empty range is an insertion; it takes the alignment of the unit before it (or after it at the
 * very start), as Hugging Face's `NormalizedString::transform` does.
 */
export type Segment = [out: string, start: number, end: number];

/** Rebuild a piece from segments that cover its text in order. */
export function transformPiece(p: Piece, segments: Segment[]): Piece {
  let text = '';
  for (const s of segments) text += s[0];
  if (p.align === null) return { text, align: null, byteLevel: p.byteLevel, addedId: p.addedId };
  const src = p.align;
  const align = new Int32Array(text.length * 2);
  let k = 0;
  for (const [out, start, end] of segments) {
    let a0: number;
    let a1: number;
    if (end > start) {
      a0 = src[2 * start]!;
      a1 = src[2 * (end - 1) + 1]!;
    } else if (start > 0) {
      a0 = src[2 * (start - 1)]!;
      a1 = src[2 * (start - 1) + 1]!;
    } else if (src.length > 0) {
      a0 = src[0]!;
      a1 = src[1]!;
    } else {
      a0 = 0;
      a1 = 0;
    }
    for (let i = 0; i < out.length; i++, k++) {
      align[2 * k] = a0;
      align[2 * k + 1] = a1;
    }
  }
  return { text, align, byteLevel: p.byteLevel, addedId: p.addedId };
}

/**
 * `prefix` in front of a non-empty piece (Hugging Face's `NormalizedString::prepend`): the prefix
 * and the first character take that character's alignment, the rest keep theirs. `firstUnits`
 * narrows "the first character" to its first UTF-16 unit: the ByteLevel pre-tokenizer's prefix
 * space comes out of Hugging Face that way when the text starts with an astral character (the
 * component parity tests pin both).
 */
export function prependToPiece(p: Piece, prefix: string, firstUnits?: 1): Piece {
  if (p.text.length === 0 || prefix.length === 0) return p;
  const text = prefix + p.text;
  if (p.align === null) return { ...p, text };
  const first = firstUnits ?? (p.text.codePointAt(0)! > 0xffff ? 2 : 1);
  const a0 = p.align[0]!;
  const a1 = p.align[2 * first - 1]!;
  const align = new Int32Array(text.length * 2);
  for (let k = 0; k < prefix.length + first; k++) {
    align[2 * k] = a0;
    align[2 * k + 1] = a1;
  }
  align.set(p.align.subarray(2 * first), 2 * (prefix.length + first));
  return { text, align, byteLevel: p.byteLevel, addedId: p.addedId };
}

/** Split a piece by [start, end, isMatch] ranges that tile it (Hugging Face's `Pattern` output). */
export type Match = [start: number, end: number, isMatch: boolean];

/** Hugging Face's `SplitDelimiterBehavior`. */
export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** Apply a split behavior to matches, pushing the non-empty pieces onto `out`. */
export function splitPiece(p: Piece, matches: Match[], behavior: SplitBehavior, out: Piece[]): void {
  const ranges: [number, number][] = [];
  switch (behavior) {
    case 'Isolated':
      for (const m of matches) ranges.push([m[0], m[1]]);
      break;
    case 'Removed':
      for (const m of matches) if (!m[2]) ranges.push([m[0], m[1]]);
      break;
    case 'Contiguous': {
      let prev = false;
      for (const m of matches) {
        const last = ranges[ranges.length - 1];
        if (m[2] === prev && last !== undefined) last[1] = m[1];
        else ranges.push([m[0], m[1]]);
        prev = m[2];
      }
      break;
    }
    case 'MergedWithPrevious': {
      let prev = false;
      for (const m of matches) {
        const last = ranges[ranges.length - 1];
        if (m[2] && !prev && last !== undefined) last[1] = m[1];
        else ranges.push([m[0], m[1]]);
        prev = m[2];
      }
      break;
    }
    case 'MergedWithNext': {
      let prev = false;
      for (let i = matches.length - 1; i >= 0; i--) {
        const m = matches[i]!;
        const last = ranges[ranges.length - 1];
        if (m[2] && !prev && last !== undefined) last[0] = m[0];
        else ranges.push([m[0], m[1]]);
        prev = m[2];
      }
      ranges.reverse();
      break;
    }
  }
  for (const [s, e] of ranges) if (e > s) out.push(slicePiece(p, s, e));
}

/** Matches of a global regex over `text`, tiling it (empty matches skipped). */
export function regexMatches(re: RegExp, text: string, invert = false): Match[] {
  const out: Match[] = [];
  let prev = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      re.lastIndex = end + (text.codePointAt(end)! > 0xffff ? 2 : 1);
      if (end >= text.length) break;
      continue;
    }
    if (prev !== start) out.push([prev, start, invert]);
    out.push([start, end, !invert]);
    prev = end;
  }
  if (prev !== text.length) out.push([prev, text.length, invert]);
  return out;
}

/** Matches of a per-code-point predicate (Hugging Face's `Fn(char) -> bool` pattern). */
export function charMatches(text: string, isMatch: (cp: number) => boolean): Match[] {
  const out: Match[] = [];
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    if (isMatch(cp)) {
      if (last < i) out.push([last, i, false]);
      out.push([i, i + n, true]);
      last = i + n;
    }
    i += n;
  }
  if (last < text.length) out.push([last, text.length, false]);
  return out;
}
