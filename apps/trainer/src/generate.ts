// `tokenformer generate`: text from a checkpoint (a checkpoint directory, or a run directory's
// latest or best), with the tokenizer saved beside it. A tokenizer with more ids than the model is
// an error, never a warning.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkTokenizerFits, type GenerationSettings } from '@tokenformer/model';
import { loadCheckpoint } from '@tokenformer/model/node';
import { DecodeStream, type Tokenizer } from '@tokenformer/tokenizer';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { resolveCheckpoint } from '@tokenformer/trainer/node';

export interface GenerateCommandOptions extends GenerationSettings {
  checkpoint: string;
  which: 'latest' | 'best';
  tokenizer?: string;
  prompt: string;
}

export async function generateText(o: GenerateCommandOptions, onText?: (s: string) => void): Promise<{ text: string; ids: number[]; checkpoint: string }> {
  const dir = resolveCheckpoint(o.checkpoint, o.which);
  const tokFile = o.tokenizer ?? join(dir, 'tokenizer.json');
  if (!existsSync(tokFile)) throw new Error(`no tokenizer: ${tokFile} does not exist (pass --tokenizer)`);
  const tokenizer: Tokenizer = loadTokenizer(tokFile);
  const model = await loadCheckpoint(dir);
  try {
    checkTokenizerFits(tokenizer.vocabSize(), model.config.vocabSize);
    const prompt = tokenizer.encodeIds(o.prompt);
    if (prompt.length === 0) throw new Error('the prompt is empty: give --prompt text');
    const stream = new DecodeStream(tokenizer);
    const eod = tokenizer.tokenToId('<|endoftext|>');
    const ids = await model.generate(prompt, {
      maxNewTokens: o.maxNewTokens,
      temperature: o.temperature,
      topK: o.topK,
      topP: o.topP,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(eod !== undefined ? { stop: [eod] } : {}),
      onToken: (id) => {
        const s = stream.step(id);
        if (s !== undefined) onText?.(s);
      },
    });
    return { text: tokenizer.decode(ids), ids, checkpoint: dir };
  } finally {
    model.dispose();
  }
}
