// tokenformer generate
import { startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { generateText } from '../generate.js';
import { BACKEND_HELP, count, num, str, UsageError, type Command } from './command.js';

const help = `tokenformer generate --checkpoint DIR [options]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint)
  --best             a run directory's best checkpoint instead of its latest
  --tokenizer FILE   default: the checkpoint's tokenizer.json
  --prompt TEXT      (default "The")
  --max-new-tokens N (64)   --temperature T (0.8; 0 = greedy)   --top-k K (0 = off)
  --top-p P (1 = off)       --seed N
  --pattention-top-k K   selective activation: each Pattention uses only each input's K most
                     active parameter tokens (default: all)
  ${BACKEND_HELP}`;

export const generateCommand: Command = {
  summary: 'text from a checkpoint',
  help,
  options: {
    checkpoint: { type: 'string' },
    best: { type: 'boolean', default: false },
    tokenizer: { type: 'string' },
    prompt: { type: 'string' },
    'max-new-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-k': { type: 'string' },
    'top-p': { type: 'string' },
    seed: { type: 'string' },
    'pattention-top-k': { type: 'string' },
    backend: { type: 'string', default: 'auto' },
  },
  async run(values) {
    const checkpoint = str(values, 'checkpoint');
    if (!checkpoint) throw new UsageError(`generate needs --checkpoint DIR\n\n${help}`);
    const backend = await startBackend(str(values, 'backend') as BackendChoice);
    console.error(`backend: ${backend}`);
    const prompt = str(values, 'prompt') ?? 'The';
    const tokenizer = str(values, 'tokenizer');
    process.stdout.write(prompt);
    await generateText(
      {
        checkpoint,
        which: values.best ? 'best' : 'latest',
        ...(tokenizer ? { tokenizer } : {}),
        prompt,
        maxNewTokens: num('max-new-tokens', values['max-new-tokens'], 64),
        temperature: num('temperature', values.temperature, 0.8),
        topK: num('top-k', values['top-k'], 0),
        topP: num('top-p', values['top-p'], 1),
        ...(values.seed !== undefined ? { seed: num('seed', values.seed, 0) } : {}),
        ...(values['pattention-top-k'] !== undefined ? { pattentionTopK: count('pattention-top-k', values['pattention-top-k'], 0) } : {}),
      },
      (s) => process.stdout.write(s),
    );
    process.stdout.write('\n');
  },
};
