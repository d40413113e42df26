// Selective activation at inference: a trained checkpoint scored with only each input row's k most
// active parameter tokens per Pattention (TokenFormer.setPattentionTopK), for each k, on the held-out
// batches, and its greedy generation speed on wasm (KV cache, 48 new tokens, best of 3).
import { generate } from '@tokenformer/model';
import { loadCheckpoint } from '@tokenformer/model/node';
import { validationLoss, type TokenBatch } from '@tokenformer/trainer';

export interface TopKRow {
  /** Tokens kept per row; null: all of them (the model as trained). */
  k: number | null;
  loss: number;
  tokensPerSec: number;
}

export async function topKStudy(checkpoint: string, ks: number[], batches: TokenBatch[]): Promise<TopKRow[]> {
  const model = await loadCheckpoint(checkpoint);
  const prompt = Array.from(batches[0]!.data.subarray(0, 8));
  const rows: TopKRow[] = [];
  try {
    for (const k of [null, ...ks]) {
      model.setPattentionTopK(k);
      const { loss } = await validationLoss(model, batches);
      let best = 0;
      for (let round = 0; round < 3; round++) {
        const t0 = performance.now();
        const out = await generate(model, prompt, { maxNewTokens: 48, temperature: 0 });
        best = Math.max(best, out.length / ((performance.now() - t0) / 1000));
      }
      rows.push({ k, loss, tokensPerSec: best });
    }
  } finally {
    model.dispose();
  }
  return rows;
}
