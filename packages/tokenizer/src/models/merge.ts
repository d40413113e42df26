// The two merge loops. Both apply, at every step, the pair of lowest rank, leftmost among equals,
// which is the order Hugging Face's heap gives; `mergeShort` rescans (fast for the usual short
// word), `mergeLong` keeps a heap over a linked list (for very long words).
import type { PairTable } from './pairTable.js';

/** Working symbols of one word: ids and [start, end) ranges, `n` in use. */
export interface Symbols {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  n: number;
}

const NONE = 0x7fffffff;
let ranks = new Int32Array(64);
let slots = new Int32Array(64);

export function mergeShort(s: Symbols, table: PairTable): void {
  let n = s.n;
  if (n < 2) return;
  if (ranks.length < n) {
    ranks = new Int32Array(n * 2);
    slots = new Int32Array(n * 2);
  }
  const ids = s.ids;
  const rankOf = (i: number): void => {
    const slot = table.find(ids[i]!, ids[i + 1]!);
    slots[i] = slot;
    ranks[i] = slot < 0 ? NONE : table.rankAt(slot);
  };
  for (let i = 0; i < n - 1; i++) rankOf(i);
  for (;;) {
    let best = NONE;
    let at = -1;
    for (let i = 0; i < n - 1; i++) {
      if (ranks[i]! < best) {
        best = ranks[i]!;
        at = i;
      }
    }
    if (at < 0) break;
    ids[at] = table.newIdAt(slots[at]!);
    s.ends[at] = s.ends[at + 1]!;
    // drop symbol at+1 and the pair rank that started at it
    ids.copyWithin(at + 1, at + 2, n);
    s.starts.copyWithin(at + 1, at + 2, n);
    s.ends.copyWithin(at + 1, at + 2, n);
    ranks.copyWithin(at + 1, at + 2, n - 1);
    slots.copyWithin(at + 1, at + 2, n - 1);
    n--;
    if (at > 0) rankOf(at - 1);
    if (at < n - 1) rankOf(at);
  }
  s.n = n;
}

/** Heap keys: rank · 2^26 + position (positions of the original symbol array). */
const POS = 2 ** 26;

export function mergeLong(s: Symbols, table: PairTable): void {
  const n = s.n;
  if (n >= POS) throw new RangeError(`word of ${n} symbols: the BPE merge supports at most ${POS - 1}`);
  const ids = s.ids;
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap = new MinHeap(n);
  const push = (i: number): void => {
    const j = next[i]!;
    if (j < 0) return;
    const slot = table.find(ids[i]!, ids[j]!);
    if (slot >= 0) heap.push(table.rankAt(slot) * POS + i);
  };
  for (let i = 0; i < n - 1; i++) push(i);
  while (heap.size > 0) {
    const key = heap.pop();
    const i = key % POS;
    const rank = (key - i) / POS;
    if (!alive[i]) continue;
    const j = next[i]!;
    if (j < 0) continue;
    const slot = table.find(ids[i]!, ids[j]!);
    if (slot < 0 || table.rankAt(slot) !== rank) continue; // stale entry
    ids[i] = table.newIdAt(slot);
    s.ends[i] = s.ends[j]!;
    alive[j] = 0;
    next[i] = next[j]!;
    if (next[j]! >= 0) prev[next[j]!] = i;
    if (prev[i]! >= 0) push(prev[i]!);
    push(i);
  }
  let k = 0;
  for (let i = 0; i >= 0 && i < n; i = next[i]!) {
    ids[k] = ids[i]!;
    s.starts[k] = s.starts[i]!;
    s.ends[k] = s.ends[i]!;
    k++;
  }
  s.n = k;
}

class MinHeap {
  private a: Float64Array;
  size = 0;
  constructor(cap: number) {
    this.a = new Float64Array(Math.max(16, cap));
  }
  push(v: number): void {
    if (this.size === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const v = a[--this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && a[c + 1]! < a[c]!) c++;
      if (a[c]! >= v) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = v;
    return top;
  }
}
