// Token documents held in memory, for the sampler: what a user with ids in hand (a tokenized string,
// a test) trains on without writing an indexed dataset first.
import { DataInputError } from './errors.js';
import type { TokenDocuments } from './sampler.js';

/**
 * `documents` (each a list of token ids, end-of-document token included if wanted) as the sampler's
 * TokenDocuments. The ids are copied once into one Int32Array; each must be an integer in
 * [0, 2³¹). Empty documents are kept (the sampler skips nothing: they add no tokens).
 */
export function documentsFromArrays(documents: readonly ArrayLike<number>[]): TokenDocuments {
  if (documents.length === 0) throw new DataInputError('documentsFromArrays: no documents');
  const offsets = new Float64Array(documents.length + 1);
  for (let d = 0; d < documents.length; d++) offsets[d + 1] = offsets[d]! + documents[d]!.length;
  const tokens = new Int32Array(offsets[documents.length]!);
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d]!;
    for (let i = 0; i < doc.length; i++) {
      const id = doc[i]!;
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new DataInputError(`documentsFromArrays: document ${d}, position ${i}: id ${id} is not an integer in [0, 2^31)`);
      tokens[offsets[d]! + i] = id;
    }
  }
  return {
    numDocuments: documents.length,
    documentSize: (doc) => offsets[doc + 1]! - offsets[doc]!,
    read: (doc, offset, length, out, at) => out.set(tokens.subarray(offsets[doc]! + offset, offsets[doc]! + offset + length), at),
  };
}
