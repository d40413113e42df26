// The validation batches a run of the experiment used (runTraining's, from the trainer's
// validationBatches), so a study scores a checkpoint on the same tokens its curve was measured on.
import { join } from 'node:path';
import { IndexedDataset } from '@tokenformer/data/node';
import type { TokenBatch } from '@tokenformer/trainer';
import { validationBatches } from '@tokenformer/trainer/node';
import { readPrepared } from '../prepare.js';

export function heldOutBatches(data: string, seed: number, seqLength: number, batchSize: number, validBatches: number): TokenBatch[] {
  const prep = readPrepared(data);
  if (!prep.valid) throw new Error(`${data}: the prepared data has no validation split`);
  const ds = IndexedDataset.open(join(data, prep.valid.prefix));
  try {
    return validationBatches(ds, { seqLength, batchSize, seed, validBatches });
  } finally {
    ds.close();
  }
}
