// GPT-NeoX's sampling (megatron/data/gpt2_dataset.py): the documents of every epoch in one
// seeded shuffled order, cut into samples of seqLength + 1 tokens packed across document
// boundaries (consecutive samples share one token, so every position is a target once), the
// samples in a second seeded shuffled order, and each global batch split across ranks. Every
// batch is a pure function of (seed, sizes, options, batch number), so the cursor is one number
// and resuming gives the same batch, bit for bit.
import { DataInputError } from './errors.js';
import { seededRandom, shuffleInPlace } from './random.js';

/** What the sampler reads: a list of token sequences (GPT-NeoX's items). */
export interface TokenDocuments {
  readonly numDocuments: number;
  documentSize(doc: number): number;
  /** Copy `length` tokens of `doc` from `offset` into `out` at `at`. */
  read(doc: number, offset: number, length: number, out: Int32Array, at: number): void;
}

export interface SamplerOptions {
  /** Tokens per training sequence T; each sample holds T + 1 (inputs and next-token targets). */
  seqLength: number;
  /** Sequences per batch on each rank. */
  batchSize: number;
  seed: number;
  /** Passes over the documents (default 1), or: */
  numEpochs?: number;
  /** as many samples as this needs (epochs are added until there are enough). */
  numSamples?: number;
  /** This process's rank and the number of ranks (data parallel). Default 0 of 1. */
  rank?: number;
  worldSize?: number;
  /** The documents to use (default all): e.g. one split. */
  documents?: Int32Array;
}

/** A sampler's position: enough to rebuild it and continue exactly. Store it in a checkpoint. */
export interface SamplerCursor {
  format: 'tokenformer-sampler/1';
  seed: number;
  seqLength: number;
  batchSize: number;
  worldSize: number;
  numEpochs: number;
  numSamples: number;
  /** Total tokens of the documents (a check that the cursor meets the same data). */
  tokensPerEpoch: number;
  /** The next batch `next()` returns. */
  nextBatch: number;
}

export interface Batch {
  /** Row-major [batchSize, seqLength + 1] token ids. */
  data: Int32Array;
  shape: [number, number];
  /** The batch number this is (global across ranks). */
  index: number;
}

export class GptSampler {
  readonly seqLength: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly rank: number;
  readonly worldSize: number;
  readonly numEpochs: number;
  readonly numSamples: number;
  readonly tokensPerEpoch: number;
  /** Batches each rank gets (the last partial global batch is dropped). */
  readonly numBatches: number;
  private readonly docOrder: Int32Array;
  private readonly sampleIdx: Int32Array;
  private readonly shuffleIdx: Int32Array;
  private nextBatch = 0;

  constructor(
    private readonly data: TokenDocuments,
    options: SamplerOptions,
  ) {
    const { seqLength, batchSize, seed } = options;
    const rank = options.rank ?? 0;
    const worldSize = options.worldSize ?? 1;
    const int = (name: string, v: number, min: number, max = 2 ** 31 - 1): void => {
      if (!Number.isInteger(v) || v < min || v > max) throw new DataInputError(`GptSampler: ${name} = ${v} must be an integer in [${min}, ${max}]`);
    };
    int('seqLength', seqLength, 1);
    int('batchSize', batchSize, 1);
    int('seed', seed, 0, 2 ** 32 - 1);
    int('worldSize', worldSize, 1);
    int('rank', rank, 0, worldSize - 1);
    const documents = options.documents ?? Int32Array.from({ length: data.numDocuments }, (_, i) => i);
    let tokensPerEpoch = 0;
    for (const d of documents) {
      if (d < 0 || d >= data.numDocuments) throw new DataInputError(`GptSampler: document ${d} is out of range [0, ${data.numDocuments})`);
      tokensPerEpoch += data.documentSize(d);
    }
    if (tokensPerEpoch <= seqLength) throw new DataInputError(`GptSampler: the documents hold ${tokensPerEpoch} tokens, fewer than one sample of ${seqLength + 1}`);
    let numEpochs = options.numEpochs ?? 1;
    if (options.numSamples !== undefined) {
      int('numSamples', options.numSamples, 1);
      numEpochs = 1;
      while (Math.floor((numEpochs * tokensPerEpoch - 1) / seqLength) < options.numSamples) numEpochs++;
    }
    int('numEpochs', numEpochs, 1);
    this.seqLength = seqLength;
    this.batchSize = batchSize;
    this.seed = seed;
    this.rank = rank;
    this.worldSize = worldSize;
    this.numEpochs = numEpochs;
    this.tokensPerEpoch = tokensPerEpoch;
    const rand = seededRandom(seed);
    // documents of all epochs, shuffled together (GPT-NeoX's _build_doc_idx)
    this.docOrder = new Int32Array(numEpochs * documents.length);
    for (let e = 0; e < numEpochs; e++) this.docOrder.set(documents, e * documents.length);
    shuffleInPlace(this.docOrder, rand);
    // sample boundaries: [document position, offset] pairs (GPT-NeoX's _build_sample_idx)
    const total = Math.floor((numEpochs * tokensPerEpoch - 1) / seqLength);
    this.sampleIdx = this.buildSampleIdx(total);
    this.numSamples = options.numSamples ?? total;
    // the sample order (GPT-NeoX's _build_shuffle_idx), over every sample built
    this.shuffleIdx = Int32Array.from({ length: total }, (_, i) => i);
    shuffleInPlace(this.shuffleIdx, rand);
    this.numBatches = Math.floor(this.numSamples / (batchSize * worldSize));
    if (this.numBatches === 0) throw new DataInputError(`GptSampler: ${this.numSamples} samples make no full global batch of ${batchSize * worldSize}`);
  }

  private buildSampleIdx(total: number): Int32Array {
    const idx = new Int32Array(2 * (total + 1));
    let docPos = 0;
    let offset = 0;
    for (let s = 1; s <= total; s++) {
      let remaining = this.seqLength + 1;
      while (remaining !== 0) {
        const docLength = this.data.documentSize(this.docOrder[docPos]!) - offset;
        remaining -= docLength;
        if (remaining <= 0) {
          offset += remaining + docLength - 1;
          remaining = 0;
        } else {
          docPos++;
          offset = 0;
        }
      }
      idx[2 * s] = docPos;
      idx[2 * s + 1] = offset;
    }
    return idx;
  }

  /** Sample `i` (in shuffled order) into `out` at `at`: seqLength + 1 tokens. */
  readSample(i: number, out: Int32Array, at: number): void {
    const s = this.shuffleIdx[i]!;
    const fDoc = this.sampleIdx[2 * s]!;
    const fOff = this.sampleIdx[2 * s + 1]!;
    const lDoc = this.sampleIdx[2 * s + 2]!;
    const lOff = this.sampleIdx[2 * s + 3]!;
    if (fDoc === lDoc) {
      this.data.read(this.docOrder[fDoc]!, fOff, lOff - fOff + 1, out, at);
      return;
    }
    const first = this.data.documentSize(this.docOrder[fDoc]!) - fOff;
    this.data.read(this.docOrder[fDoc]!, fOff, first, out, at);
    at += first;
    for (let d = fDoc + 1; d < lDoc; d++) {
      const size = this.data.documentSize(this.docOrder[d]!);
      this.data.read(this.docOrder[d]!, 0, size, out, at);
      at += size;
    }
    this.data.read(this.docOrder[lDoc]!, 0, lOff + 1, out, at);
  }

  /** Batch number `b` of this rank: rows are the global batch's samples [rank·B, (rank+1)·B). */
  batch(b: number): Batch {
    if (!Number.isInteger(b) || b < 0 || b >= this.numBatches) throw new DataInputError(`GptSampler: batch ${b} is out of range [0, ${this.numBatches})`);
    const width = this.seqLength + 1;
    const data = new Int32Array(this.batchSize * width);
    const first = b * this.batchSize * this.worldSize + this.rank * this.batchSize;
    for (let r = 0; r < this.batchSize; r++) this.readSample(first + r, data, r * width);
    return { data, shape: [this.batchSize, width], index: b };
  }

  /** The next batch, or null after the last one. */
  next(): Batch | null {
    if (this.nextBatch >= this.numBatches) return null;
    return this.batch(this.nextBatch++);
  }

  cursor(): SamplerCursor {
    return {
      format: 'tokenformer-sampler/1',
      seed: this.seed,
      seqLength: this.seqLength,
      batchSize: this.batchSize,
      worldSize: this.worldSize,
      numEpochs: this.numEpochs,
      numSamples: this.numSamples,
      tokensPerEpoch: this.tokensPerEpoch,
      nextBatch: this.nextBatch,
    };
  }

  /** A sampler continuing from `cursor` over the same data (checked), for `rank`. */
  static resume(data: TokenDocuments, cursor: SamplerCursor, options: { rank?: number; documents?: Int32Array } = {}): GptSampler {
    if (cursor.format !== 'tokenformer-sampler/1') throw new DataInputError(`GptSampler.resume: unknown cursor format ${JSON.stringify(cursor.format)}`);
    const s = new GptSampler(data, { ...cursor, numEpochs: cursor.numEpochs, numSamples: cursor.numSamples, ...options });
    if (s.tokensPerEpoch !== cursor.tokensPerEpoch) {
      throw new DataInputError(`GptSampler.resume: the data holds ${s.tokensPerEpoch} tokens per epoch, the cursor was made on ${cursor.tokensPerEpoch}`);
    }
    if (!Number.isInteger(cursor.nextBatch) || cursor.nextBatch < 0 || cursor.nextBatch > s.numBatches) {
      throw new DataInputError(`GptSampler.resume: nextBatch = ${cursor.nextBatch} must be an integer in [0, ${s.numBatches}] (the batches of this cursor's samples)`);
    }
    s.nextBatch = cursor.nextBatch;
    return s;
  }
}
