// The trainer's priority queue: the most frequent pair first, the smallest pair (by ids) among
// equal counts, as Hugging Face's `Merge` ordering.

export interface MergeCandidate {
  /** Pair key: left id · 2^21 + right id. */
  key: number;
  count: number;
  /** Indices of the words the pair occurs in (as far as this entry knows). */
  pos: Set<number>;
}

function before(a: MergeCandidate, b: MergeCandidate): boolean {
  return a.count > b.count || (a.count === b.count && a.key < b.key);
}

export class MergeQueue {
  private readonly items: MergeCandidate[] = [];

  get size(): number {
    return this.items.length;
  }

  push(c: MergeCandidate): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(c, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = c;
  }

  pop(): MergeCandidate | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= a.length) break;
      if (c + 1 < a.length && before(a[c + 1]!, a[c]!)) c++;
      if (!before(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
