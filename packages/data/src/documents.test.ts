// In-memory documents: the sampler reads them exactly as it reads the same documents from a reader
// written by hand (the reference), and bad ids are refused before any batch.
import { describe, expect, it } from 'vitest';
import { documentsFromArrays } from './documents.js';
import { DataInputError } from './errors.js';
import { seededRandom } from './random.js';
import { GptSampler, type TokenDocuments } from './sampler.js';

function byHand(docs: number[][]): TokenDocuments {
  return {
    numDocuments: docs.length,
    documentSize: (d) => docs[d]!.length,
    read: (d, offset, length, out, at) => {
      for (let i = 0; i < length; i++) out[at + i] = docs[d]![offset + i]!;
    },
  };
}

describe('documentsFromArrays', () => {
  it('gives the sampler the same batches as the documents read one id at a time', () => {
    const rand = seededRandom(3);
    const docs = Array.from({ length: 23 }, () => Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 50_000)));
    const options = { seqLength: 8, batchSize: 3, seed: 9, numEpochs: 2 };
    const a = new GptSampler(documentsFromArrays(docs.map((d) => Int32Array.from(d))), options);
    const b = new GptSampler(byHand(docs), options);
    expect(a.numBatches).toBe(b.numBatches);
    for (let i = 0; i < a.numBatches; i++) expect(Array.from(a.next()!.data)).toEqual(Array.from(b.next()!.data));
  });

  it('refuses ids that are not token ids, naming the document and position', () => {
    expect(() => documentsFromArrays([[1, 2], [3, -1]])).toThrow(DataInputError);
    expect(() => documentsFromArrays([[1, 2], [3, -1]])).toThrow(/document 1, position 1: id -1/);
    expect(() => documentsFromArrays([[0.5]])).toThrow(/id 0.5/);
    expect(() => documentsFromArrays([])).toThrow(/no documents/);
  });
});
