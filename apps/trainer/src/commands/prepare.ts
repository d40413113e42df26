// tokenformer prepare
import { checkOutputPath } from '@tokenformer/node-runtime';
import { prepare } from '../prepare.js';
import { count, num, str, UsageError, type Command } from './command.js';

const help = `tokenformer prepare [--corpus sotu | --corpus PATH ...] --out DIR [options]

  --corpus PATH      text / JSONL files or folders (.gz, .zst too), repeatable; "sotu" = the embedded
                     State of the Union corpus (default)
  --out DIR          where tokenizer.json, data_{train,valid}_text_document.{bin,idx} and prepare.json go
  --tokenizer FILE   use this tokenizer.json (or folder); default: train a byte-level BPE
  --vocab N          vocabulary of the trained BPE (default 4096)
  --valid F          share of documents for validation (default 0.02)
  --seed N           seed of the split (default 1234)
  --field NAME       JSONL text field (default "text")`;

export const prepareCommand: Command = {
  summary: 'corpus -> tokenizer (trained or given) -> indexed datasets',
  help,
  options: {
    corpus: { type: 'string', multiple: true },
    out: { type: 'string' },
    tokenizer: { type: 'string' },
    vocab: { type: 'string' },
    valid: { type: 'string' },
    seed: { type: 'string' },
    field: { type: 'string' },
  },
  async run(values) {
    const out = str(values, 'out');
    if (!out) throw new UsageError(`prepare needs --out DIR\n\n${help}`);
    const tokenizer = str(values, 'tokenizer');
    const field = str(values, 'field') ?? 'text';
    if (field === '') throw new UsageError('--field "" names no JSONL field');
    const corpus = (values.corpus as string[] | undefined) ?? ['sotu'];
    checkOutputPath('--out', out, Object.fromEntries([...corpus.filter((c) => c !== 'sotu').map((c, i) => [`--corpus #${i + 1}`, c]), ['--tokenizer', tokenizer]]), true);
    const report = await prepare({
      corpus,
      out,
      ...(tokenizer ? { tokenizer } : {}),
      vocabSize: count('vocab', values.vocab, 4096, 257), // the 256 bytes and <|endoftext|> at least
      validFraction: num('valid', values.valid, 0.02),
      seed: num('seed', values.seed, 1234),
      field,
      log: (l) => console.error(l),
    });
    console.log(JSON.stringify(report, null, 2));
  },
};
