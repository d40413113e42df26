// The fast path's word cache: a word of the input (a [start, end) span of a longer text) to its
// ids, without cutting the word out of the text. Open addressing over an FNV-1a hash of the
// UTF-16 units; a hit compares the units in place, so only a miss allocates a string.

export type CachedIds = number | number[];

export class SpanCache {
  private hashes: Int32Array;
  private keys: (string | undefined)[];
  private vals: CachedIds[];
  private mask: number;
  private size = 0;

  constructor(private readonly capacity: number) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.keys = new Array<string | undefined>(slots);
    this.vals = new Array<CachedIds>(slots);
  }

  static hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h;
  }

  /** The ids of text[start, end), or undefined. `h` is `SpanCache.hash(text, start, end)`. */
  get(text: string, start: number, end: number, h: number): CachedIds | undefined {
    const len = end - start;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === undefined) return undefined;
      if (this.hashes[i] === h && k.length === len) {
        let j = 0;
        while (j < len && k.charCodeAt(j) === text.charCodeAt(start + j)) j++;
        if (j === len) return this.vals[i];
      }
    }
  }

  set(word: string, h: number, ids: CachedIds): void {
    if (this.size >= this.capacity) this.clear();
    let i = h & this.mask;
    while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
    this.keys[i] = word;
    this.hashes[i] = h;
    this.vals[i] = ids;
    this.size++;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.size = 0;
  }
}
