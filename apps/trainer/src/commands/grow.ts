// tokenformer grow
import { checkOutputPath, startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { growCommand as grow } from '../grow.js';
import { BACKEND_HELP, num, numbers, str, stringOptions, UsageError, type Command, OVERWRITE } from './command.js';

const help = `tokenformer grow --checkpoint DIR --out DIR --add-ffn N [options]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint)
  --out DIR          the grown checkpoint: config, weights, tokenizer, and the AdamW state grown with
                     it when the source has one (new tokens' moments zero)
  --add-qkv N        tokens to add to each of the query, key and value Pattentions
  --add-query N, --add-key N, --add-value N, --add-proj N, --add-ffn N   to one kind
  --layers 0,2       which layers (default: all)
  --init I           zero-keys (default: zero keys, random values) | random | zero
  --tau T            exact (default: keep each τ, the same function) | official (τ = √n of the new n)
  --seed N           seed of the random new tokens
  ${BACKEND_HELP}
  Prints what grew and how far the grown model's logits are from the source's on a probe batch.
  --overwrite        replace the output if it exists (an output is never one of the inputs)`;

export const growCommand: Command = {
  summary: 'a checkpoint with more parameter tokens (exactly the same function by default)',
  help,
  options: { ...stringOptions('checkpoint', 'out', 'add-qkv', 'add-query', 'add-key', 'add-value', 'add-proj', 'add-ffn', 'layers', 'init', 'tau', 'seed', 'backend'), ...OVERWRITE },
  async run(values) {
    const checkpoint = str(values, 'checkpoint');
    const out = str(values, 'out');
    if (!checkpoint || !out) throw new UsageError(`grow needs --checkpoint DIR and --out DIR\n\n${help}`);
    checkOutputPath('--out', out, { '--checkpoint': checkpoint }, values.overwrite === true);
    const qkv = num('add-qkv', values['add-qkv'], 0);
    const add = {
      query: num('add-query', values['add-query'], qkv),
      key: num('add-key', values['add-key'], qkv),
      value: num('add-value', values['add-value'], qkv),
      proj: num('add-proj', values['add-proj'], 0),
      ffn: num('add-ffn', values['add-ffn'], 0),
    };
    const layers = str(values, 'layers');
    const init = str(values, 'init');
    const tau = str(values, 'tau');
    const backend = await startBackend((str(values, 'backend') ?? 'auto') as BackendChoice);
    console.error(`backend: ${backend}`);
    const r = await grow({
      checkpoint,
      out,
      add,
      ...(layers !== undefined ? { layers: numbers('layers', layers) } : {}),
      ...(init ? { init: init as never } : {}),
      ...(tau ? { tau: tau as never } : {}),
      ...(values.seed !== undefined ? { seed: num('seed', values.seed, 0) } : {}),
    });
    for (const g of r.grown) console.error(`layer ${g.layer} ${g.slot}: ${g.from} -> ${g.to} tokens, tau ${g.tauBefore.toFixed(4)} -> ${g.tauAfter.toFixed(4)}`);
    console.error(`parameters ${r.paramsBefore.toLocaleString('en-US')} -> ${r.paramsAfter.toLocaleString('en-US')}; max |logit change| on a probe batch ${r.deviation.maxAbsLogitDiff.toExponential(2)} (loss ${r.deviation.lossBefore.toFixed(4)} -> ${r.deviation.lossAfter.toFixed(4)})`);
    console.log(JSON.stringify(r, null, 2));
  },
};
