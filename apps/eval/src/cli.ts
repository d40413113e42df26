#!/usr/bin/env node
// tokenformer-eval: lm-evaluation-harness-compatible zero-shot tasks and perplexity for TokenFormer
// checkpoints. `tokenformer-eval --help`.
import { parseArgs } from 'node:util';
import { TASKS } from '@tokenformer/evaluator';
import { BACKENDS, checkOutputPath, startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { perplexityCommand } from './perplexityCommand.js';
import { tasksCommand } from './tasksCommand.js';

const TASK_LIST = [...TASKS.values()].map((t) => `  ${t.name.padEnd(15)} ${t.file.padEnd(22)} ${t.fields.join(', ')}\n  ${''.padEnd(15)} from ${t.source}`).join('\n');

const HELP = `tokenformer-eval --checkpoint DIR --tasks T1,T2 --data-dir DIR [options]
tokenformer-eval perplexity --checkpoint DIR (--text FILE ... | --dataset PREFIX) [options]

Zero-shot tasks, scored as EleutherAI's lm-evaluation-harness 0.4.9.1 scores them:
  --checkpoint DIR   a checkpoint directory, or a run directory (its latest; --best for its best)
  --tasks LIST       comma-separated, from the list below, or the groups glue and
                     super-glue-lm-eval-v1 (their members, and a row for the group)
  --data-dir DIR     the tasks' JSONL files (Hugging Face dataset rows, one per line)
  --tokenizer FILE   default: the checkpoint's tokenizer.json
  --max-length N     longest input (default: the model's maxSeqLen); longer ones lose tokens on the left
  --limit N          the first N documents of each task
  --batch-size N     requests per forward pass (default 8)
  --bootstrap-iters N  resamples for the standard errors of perplexity, mcc and f1 (default 100000,
                     the harness's)
  --backend B        ${BACKENDS.join(' | ')} (default auto)
  --output FILE      results JSON (the harness's shape) and FILE without .json + .md (a table); never
                     one of the inputs, and an existing one only with --overwrite

perplexity: held-out perplexity with the harness's rolling windows
  --text FILE        a .txt file (one document) or .jsonl (one per row, --field, default "text"), also
                     .gz / .zst (decompressed and checked); repeatable
  --dataset PREFIX   an indexed dataset (PREFIX.bin + PREFIX.idx), e.g. one tokenformer prepare wrote
  --limit N          the first N documents; --output FILE writes the figures as JSON

tasks and their files:
${TASK_LIST}`;

class UsageError extends Error {
  override name = 'UsageError';
}

/** An integer option >= `min` (1 unless said): '' or 0 documents is a usage error, not a table of NaN. */
function int(name: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} ${JSON.stringify(v)} is not an integer >= ${min}`);
  return n;
}

const COMMON = {
  checkpoint: { type: 'string' },
  best: { type: 'boolean', default: false },
  tokenizer: { type: 'string' },
  'max-length': { type: 'string' },
  limit: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string', default: 'auto' },
  output: { type: 'string' },
  overwrite: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function main(argv: string[]): Promise<void> {
  const perplexity = argv[0] === 'perplexity';
  const { values } = parseArgs({
    args: perplexity ? argv.slice(1) : argv,
    strict: true,
    options: perplexity
      ? { ...COMMON, text: { type: 'string', multiple: true }, dataset: { type: 'string' }, field: { type: 'string', default: 'text' } }
      : { ...COMMON, tasks: { type: 'string' }, 'data-dir': { type: 'string' }, 'bootstrap-iters': { type: 'string' } },
  });
  const v = values as Record<string, string | string[] | boolean | undefined>;
  if (v.help || argv.length === 0) {
    console.log(HELP);
    return;
  }
  if (typeof v.checkpoint !== 'string') throw new UsageError(`--checkpoint DIR is required\n\n${HELP}`);
  const model = {
    checkpoint: v.checkpoint,
    which: v.best ? ('best' as const) : ('latest' as const),
    ...(typeof v.tokenizer === 'string' ? { tokenizer: v.tokenizer } : {}),
    ...(v['max-length'] !== undefined ? { maxLength: int('max-length', v['max-length'] as string)! } : {}),
    batchSize: int('batch-size', v['batch-size'] as string | undefined) ?? 8,
  };
  const limit = int('limit', v.limit as string | undefined);
  const output = typeof v.output === 'string' ? v.output : undefined;
  if (output) {
    const texts = Array.isArray(v.text) ? Object.fromEntries(v.text.map((t, i) => [`--text #${i + 1}`, t])) : {};
    const inputs = { '--checkpoint': v.checkpoint, '--tokenizer': v.tokenizer as string | undefined, '--data-dir': v['data-dir'] as string | undefined, '--dataset': v.dataset as string | undefined, ...texts };
    checkOutputPath('--output', output, inputs, v.overwrite === true);
    checkOutputPath('--output', output.replace(/\.json$/, '.md'), inputs, v.overwrite === true);
  }
  if (!perplexity && typeof v.tasks === 'string' && v.tasks.split(',').every((t) => t.trim() === '')) throw new UsageError(`--tasks lists no task\n\n${HELP}`);
  if (!perplexity && (typeof v.tasks !== 'string' || typeof v['data-dir'] !== 'string')) throw new UsageError(`--tasks LIST and --data-dir DIR are required\n\n${HELP}`);
  const backend = await startBackend(v.backend as BackendChoice);
  console.error(`backend: ${backend}`);
  if (perplexity) {
    const r = await perplexityCommand({
      ...model,
      ...(v.text ? { text: v.text as string[] } : {}),
      ...(typeof v.dataset === 'string' ? { dataset: v.dataset } : {}),
      field: v.field as string,
      ...(limit !== undefined ? { limit } : {}),
      ...(output ? { output } : {}),
    });
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  const { table } = await tasksCommand({
    ...model,
    tasks: (v.tasks as string).split(',').map((t) => t.trim()).filter(Boolean),
    dataDir: v['data-dir'] as string,
    ...(limit !== undefined ? { limit } : {}),
    bootstrapIters: int('bootstrap-iters', v['bootstrap-iters'] as string | undefined, 0) ?? 100_000,
    ...(output ? { output } : {}),
    backend,
  });
  console.log(table);
}

/** Usage errors (exit 2): ours and node:util's parseArgs ones. Anything can be thrown: `code` may be a number (fzstd's) or absent. */
function isUsageError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof UsageError || ['OutputPathError', 'BackendChoiceError'].includes((e as Error | null)?.name ?? '') || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
}

// --debug (anywhere): the stack trace of a failure too
const debug = process.argv.includes('--debug');
main(process.argv.slice(2).filter((a) => a !== '--debug')).catch((e: unknown) => {
  console.error(`tokenformer-eval: ${e instanceof Error ? e.message : String(e)}`);
  if (debug && e instanceof Error) console.error(e.stack);
  process.exit(isUsageError(e) ? 2 : 1);
});
