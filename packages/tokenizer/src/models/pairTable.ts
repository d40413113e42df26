// An open-addressing hash table from a pair of token ids to its merge (rank, new id), in typed
// arrays: the BPE inner loop does one lookup per adjacent pair, so this must not allocate.

export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private ranks: Int32Array;
  private newIds: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.newIds = new Int32Array(cap);
  }

  private slot(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h ^= h >>> 15;
    let i = h & this.mask;
    while (this.keysA[i] !== -1 && (this.keysA[i] !== a || this.keysB[i] !== b)) i = (i + 1) & this.mask;
    return i;
  }

  /** Set (or overwrite: a later duplicate merge wins, as in Hugging Face) the merge of (a, b). */
  set(a: number, b: number, rank: number, newId: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const i = this.slot(a, b);
    if (this.keysA[i] === -1) this.size++;
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.ranks[i] = rank;
    this.newIds[i] = newId;
  }

  /** The slot of (a, b), or -1 when the pair has no merge. */
  find(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.keysA[i] === -1 ? -1 : i;
  }

  rankAt(slot: number): number {
    return this.ranks[slot]!;
  }

  newIdAt(slot: number): number {
    return this.newIds[slot]!;
  }

  private grow(): void {
    const { keysA, keysB, ranks, newIds } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.newIds = new Int32Array(cap);
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i]!, keysB[i]!, ranks[i]!, newIds[i]!);
  }
}
