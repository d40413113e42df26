import type { IndexedDataset } from '@tokenformer/data/node';

/** Unigram entropy of a dataset's tokens, in nats per token (the loss of a model that knows only token frequencies). */
export function unigramEntropy(ds: IndexedDataset): number {
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < ds.numDocuments; i++) {
    for (const id of ds.get(i)) counts.set(id, (counts.get(id) ?? 0) + 1);
    n += ds.documentSize(i);
  }
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log(c / n);
  return h;
}
