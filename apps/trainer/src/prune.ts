// `tokenformer prune`: a checkpoint with fewer parameter tokens, the least important dropped per
// Pattention (importance: mean |weight| × ‖value‖ on calibration batches from a prepared data
// directory, see @tokenformer/growth). Reports the calibration loss before and after. The pruned
// checkpoint holds no optimizer state: a pruned model starts a new run (--initFrom) with fresh moments.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GptSampler, IndexedDataset } from '@tokenformer/data/node';
import { prune, resolvePrune, scoreTokens, type PrunedPattention, type PruneOptions } from '@tokenformer/growth';
import { TokenFormer } from '@tokenformer/model';
import { loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { validationLoss, type TokenBatch } from '@tokenformer/trainer';
import { resolveCheckpoint } from '@tokenformer/trainer/node';
import { readPrepared } from './prepare.js';

export interface PruneCommandOptions extends PruneOptions {
  checkpoint: string;
  out: string;
  /** A prepared data directory: calibration batches come from its validation split (else train). */
  data: string;
  batches: number;
  /** Default: 64, or less where the model's maxSeqLen needs (a batch holds seqLength + 1 ids). */
  seqLength?: number;
  batchSize: number;
}

export interface PruneCommandResult {
  from: string;
  out: string;
  paramsBefore: number;
  paramsAfter: number;
  pruned: PrunedPattention[];
  /** Mean next-token loss on the calibration batches, nats per token. */
  lossBefore: number;
  lossAfter: number;
}

export async function pruneCommand(o: PruneCommandOptions): Promise<PruneCommandResult> {
  const from = resolveCheckpoint(o.checkpoint);
  const source = await loadCheckpoint(from);
  let calibration: TokenBatch[] = [];
  try {
    resolvePrune(source.config, o); // a bad request fails before the calibration passes
    const prep = readPrepared(o.data);
    const ds = IndexedDataset.open(join(o.data, (prep.valid ?? prep.train).prefix));
    try {
      const seqLength = o.seqLength ?? Math.min(64, source.config.maxSeqLen - 1);
      const sampler = new GptSampler(ds, { seqLength, batchSize: o.batchSize, seed: 1 });
      calibration = Array.from({ length: Math.min(o.batches, sampler.numBatches) }, (_, i) => sampler.batch(i));
    } finally {
      ds.close();
    }
    const ids = calibration.map((b) => tf.tensor2d(b.data, b.shape, 'int32')); // [B, T + 1] each
    const scores = await scoreTokens(source, ids).finally(() => tf.dispose(ids));
    const lossBefore = (await validationLoss(source, calibration)).loss;
    const weights = source.exportWeights();
    const p = prune(source.config, weights, scores, o);
    tf.dispose([...weights.values()]);
    const small = new TokenFormer(p.config, { weights: p.weights });
    tf.dispose([...p.weights.values()]);
    try {
      const lossAfter = (await validationLoss(small, calibration)).loss;
      const extraFiles: Record<string, string> = {};
      if (existsSync(join(from, 'tokenizer.json'))) extraFiles['tokenizer.json'] = readFileSync(join(from, 'tokenizer.json'), 'utf8');
      await saveCheckpoint(small, o.out, { extraFiles });
      return { from, out: o.out, paramsBefore: source.countParams(), paramsAfter: small.countParams(), pruned: p.pruned, lossBefore, lossAfter };
    } finally {
      small.dispose();
    }
  } finally {
    source.dispose();
  }
}
