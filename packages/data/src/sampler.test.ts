// The sampler: GPT-NeoX's packing (samples of T+1 tokens, consecutive samples sharing one token,
// documents in shuffled order), determinism, exact resume, and sharding by rank.
import { describe, expect, it } from 'vitest';
import { DataInputError } from './errors.js';
import { seededRandom } from './random.js';
import { GptSampler, type TokenDocuments } from './sampler.js';

/** Documents in memory; document d holds the tokens d·1000, d·1000+1, ... so every token says where it came from. */
function memoryDocs(sizes: number[]): TokenDocuments {
  return {
    numDocuments: sizes.length,
    documentSize: (d) => sizes[d]!,
    read: (d, offset, length, out, at) => {
      if (offset + length > sizes[d]!) throw new Error('read past the document');
      for (let i = 0; i < length; i++) out[at + i] = d * 1000 + offset + i;
    },
  };
}

const rand = seededRandom(11);
const sizes = Array.from({ length: 57 }, () => 1 + Math.floor(rand() * 120));
const docs = memoryDocs(sizes);

function allBatches(s: GptSampler): Int32Array[] {
  const out: Int32Array[] = [];
  for (let b = s.next(); b !== null; b = s.next()) out.push(b.data);
  return out;
}

describe('GptSampler', () => {
  it('packs documents into T+1-token samples that overlap by one token and cover every token', () => {
    const T = 16;
    const s = new GptSampler(docs, { seqLength: T, batchSize: 1, seed: 5, numEpochs: 2 });
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(s.numSamples).toBe(Math.floor((2 * total - 1) / T));
    // unshuffle: sample i in build order is sample shuffleIdx^-1; rebuild the token stream
    const samples: number[][] = [];
    for (let i = 0; i < s.numSamples; i++) {
      const out = new Int32Array(T + 1);
      s.readSample(i, out, 0);
      samples.push([...out]);
    }
    // every sample is a contiguous stretch of the epoch stream: within a document tokens rise by 1,
    // and a document is only left at its end
    for (const sample of samples) {
      for (let k = 1; k < sample.length; k++) {
        const [a, b] = [sample[k - 1]!, sample[k]!];
        const sameDoc = Math.floor(a / 1000) === Math.floor(b / 1000) && b === a + 1;
        const docEnd = a % 1000 === sizes[Math.floor(a / 1000)]! - 1 && b % 1000 === 0;
        expect(sameDoc || docEnd).toBe(true);
      }
    }
    // each token of two epochs is used as a target exactly once (except the very first token)
    const seen = new Map<number, number>();
    for (const sample of samples) for (const t of sample.slice(1)) seen.set(t, (seen.get(t) ?? 0) + 1);
    const counts = [...seen.values()];
    expect(counts.every((c) => c <= 2)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(s.numSamples * T);
  });

  it('is deterministic, and the seed matters', () => {
    const a = allBatches(new GptSampler(docs, { seqLength: 32, batchSize: 4, seed: 1 }));
    const b = allBatches(new GptSampler(docs, { seqLength: 32, batchSize: 4, seed: 1 }));
    const c = allBatches(new GptSampler(docs, { seqLength: 32, batchSize: 4, seed: 2 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).toHaveLength(4 * 33);
  });

  it('resumes from a cursor taken anywhere with the same batches, bit for bit', () => {
    const options = { seqLength: 24, batchSize: 3, seed: 9, numSamples: 500 };
    const reference = allBatches(new GptSampler(docs, options));
    expect(reference.length).toBe(Math.floor(500 / 3));
    for (const stop of [0, 1, 17, reference.length - 1]) {
      const s = new GptSampler(docs, options);
      for (let i = 0; i < stop; i++) s.next();
      const cursor = JSON.parse(JSON.stringify(s.cursor())); // as a checkpoint stores it
      const resumed = GptSampler.resume(docs, cursor);
      expect(allBatches(resumed)).toEqual(reference.slice(stop));
    }
  });

  it('adds epochs until numSamples are there', () => {
    const s = new GptSampler(docs, { seqLength: 64, batchSize: 8, seed: 3, numSamples: 1000 });
    expect(s.numEpochs).toBeGreaterThan(1);
    expect(s.numBatches).toBe(125);
  });

  it('shards: the ranks of a global batch are the rows of the one-rank batch of the same size', () => {
    const one = new GptSampler(docs, { seqLength: 20, batchSize: 6, seed: 4 });
    const ranks = [0, 1, 2].map((rank) => new GptSampler(docs, { seqLength: 20, batchSize: 2, seed: 4, rank, worldSize: 3 }));
    for (let b = 0; b < one.numBatches; b++) {
      const joined = ranks.flatMap((r) => [...r.batch(b).data]);
      expect(joined).toEqual([...one.batch(b).data]);
    }
  });

  it('refuses a cursor from other data and bad options, with the value and the limit', () => {
    const s = new GptSampler(docs, { seqLength: 20, batchSize: 2, seed: 4 });
    expect(() => GptSampler.resume(memoryDocs(sizes.slice(1)), s.cursor())).toThrow(/tokens per epoch, the cursor was made on/);
    expect(() => new GptSampler(docs, { seqLength: 0, batchSize: 2, seed: 1 })).toThrow(DataInputError);
    expect(() => new GptSampler(docs, { seqLength: 8, batchSize: 2, seed: 1, rank: 2, worldSize: 2 })).toThrow(/rank = 2 must be an integer in \[0, 1\]/);
    expect(() => new GptSampler(memoryDocs([3]), { seqLength: 8, batchSize: 1, seed: 1 })).toThrow(/fewer than one sample/);
    expect(() => s.batch(s.numBatches)).toThrow(/out of range/);
  });
});
