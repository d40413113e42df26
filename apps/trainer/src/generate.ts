// `tokenformer generate`: text from a checkpoint (a checkpoint directory, or a run directory's
// latest or best), with the tokenizer saved beside it. A tokenizer with more ids than the model is
// an error, never a warning.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkTokenizerFits, type GenerationSettings } from '@tokenformer/model';
import { loadCheckpoint } from '@tokenformer/model/node';
import { generateFromText } from '@tokenformer/evaluator';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { resolveCheckpoint } from '@tokenformer/trainer/node';

export interface GenerateCommandOptions extends GenerationSettings {
  checkpoint: string;
  which: 'latest' | 'best';
  tokenizer?: string;
  prompt: string;
  /** Selective activation (TokenFormer.setPattentionTopK); all parameter tokens when absent. */
  pattentionTopK?: number;
}

export async function generateText(o: GenerateCommandOptions, onText?: (s: string) => void): Promise<{ text: string; ids: number[]; checkpoint: string }> {
  const dir = resolveCheckpoint(o.checkpoint, o.which);
  const tokFile = o.tokenizer ?? join(dir, 'tokenizer.json');
  if (!existsSync(tokFile)) throw new Error(`no tokenizer: ${tokFile} does not exist (pass --tokenizer)`);
  const tokenizer = loadTokenizer(tokFile);
  const model = await loadCheckpoint(dir);
  try {
    checkTokenizerFits(tokenizer.vocabSize(), model.config.vocabSize);
    if (o.pattentionTopK !== undefined) model.setPattentionTopK(o.pattentionTopK);
    // the one text generation of the API, the CLIs and the page (stop: <|endoftext|>)
    const { text, ids } = await generateFromText(model, tokenizer, o.prompt, {
      maxNewTokens: o.maxNewTokens,
      temperature: o.temperature,
      topK: o.topK,
      topP: o.topP,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(onText ? { onText } : {}),
    });
    return { text, ids, checkpoint: dir };
  } finally {
    model.dispose();
  }
}
