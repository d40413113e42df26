// Writing an indexed dataset by hand, reading its index, and sampling it on several ranks: each rank
// gets its own rows of every global batch, and together they cover the batch exactly once.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeIndex, GptSampler } from '@tokenformer/data';
import { IndexedDataset, IndexedDatasetWriter } from '@tokenformer/data/node';

const prefix = join(mkdtempSync(join(tmpdir(), 'shards-')), 'numbers');
const writer = new IndexedDatasetWriter(prefix, 'uint16');
for (let d = 0; d < 50; d++) writer.addDocument(Array.from({ length: 10 + (d % 7) * 5 }, (_, i) => d * 100 + i)); // the id says where it came from
console.log('written:', writer.finalize());

const index = decodeIndex(readFileSync(`${prefix}.idx`), `${prefix}.idx`);
console.log(`index: dtype ${index.dtype}, ${index.sizes.length} items, first sizes ${Array.from(index.sizes.slice(0, 5)).join(' ')}`);

const dataset = IndexedDataset.open(prefix);
const options = { seqLength: 32, batchSize: 2, seed: 7, worldSize: 2 };
const whole = new GptSampler(dataset, { ...options, batchSize: 4, worldSize: 1 }).next()!;
const rank0 = new GptSampler(dataset, { ...options, rank: 0 }).next()!;
const rank1 = new GptSampler(dataset, { ...options, rank: 1 }).next()!;
const together = [...rank0.data, ...rank1.data].join();
console.log(`global batch ${whole.shape.join('x')}; rank 0 ${rank0.shape.join('x')}, rank 1 ${rank1.shape.join('x')}; together the global batch: ${together === whole.data.join()}`);
if (together !== whole.data.join()) throw new Error('the ranks do not split the global batch');
dataset.close();
