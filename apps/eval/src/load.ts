// What both commands load: the model (a checkpoint or run directory), its tokenizer, the harness
// model wrapper.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TokenFormerLM } from '@tokenformer/evaluator';
import { loadCheckpoint } from '@tokenformer/model/node';
import { checkTokenizerFits, type TokenFormer } from '@tokenformer/model';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { resolveCheckpoint } from '@tokenformer/trainer/node';

export interface ModelOptions {
  checkpoint: string;
  which: 'latest' | 'best';
  tokenizer?: string;
  maxLength?: number;
  batchSize: number;
}

export interface LoadedModel {
  lm: TokenFormerLM;
  model: TokenFormer;
  checkpoint: string;
  tokenizer: string;
}

export async function loadModel(o: ModelOptions): Promise<LoadedModel> {
  const checkpoint = resolveCheckpoint(o.checkpoint, o.which);
  const tokenizerFile = o.tokenizer ?? join(checkpoint, 'tokenizer.json');
  if (!existsSync(tokenizerFile)) throw new Error(`no tokenizer: ${tokenizerFile} does not exist (pass --tokenizer)`);
  const tokenizer = loadTokenizer(tokenizerFile);
  const model = await loadCheckpoint(checkpoint);
  try {
    checkTokenizerFits(tokenizer.vocabSize(), model.config.vocabSize);
    const lm = new TokenFormerLM(model, tokenizer, { batchSize: o.batchSize, ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}) });
    return { lm, model, checkpoint, tokenizer: tokenizerFile };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
