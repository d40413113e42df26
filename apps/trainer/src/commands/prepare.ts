// tokenformer prepare
import { prepare } from '../prepare.js';
import { num, str, UsageError, type Command } from './command.js';

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
    const report = await prepare({
      corpus: (values.corpus as string[] | undefined) ?? ['sotu'],
      out,
      ...(tokenizer ? { tokenizer } : {}),
      vocabSize: num('vocab', values.vocab, 4096),
      validFraction: num('valid', values.valid, 0.02),
      seed: num('seed', values.seed, 1234),
      field: str(values, 'field') ?? 'text',
      log: (l) => console.error(l),
    });
    console.log(JSON.stringify(report, null, 2));
  },
};
