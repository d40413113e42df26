// tokenformer export
import { checkOutputPath, startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { exportCommand as exportOfficial } from '../interop.js';
import { BACKEND_HELP, str, UsageError, type Command, OVERWRITE } from './command.js';

const help = `tokenformer export --checkpoint DIR --out FILE [--config-out FILE.yml] [--allow-tau-change]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint; --best)
  --out FILE         the pytorch_model.bin to write (a torch.save zip, float32, GPT-NeoX key names;
                     GPT-NeoX's eval loads it with load_state_dict, eval_ckpt: FILE)
  --config-out FILE  the GPT-NeoX arguments that rebuild the model, as YAML (default FILE's name
                     with .neox.yml); also printed
  --allow-tau-change export a model whose τ is pinned (exact growth) although GPT-NeoX recomputes
                     τ = √n, which changes its function (without it, that is an error)
  ${BACKEND_HELP}
  --overwrite        replace the output if it exists (an output is never one of the inputs)`;

export const exportCommand: Command = {
  summary: 'a checkpoint -> an official pytorch_model.bin + its GPT-NeoX arguments',
  help,
  options: {
    checkpoint: { type: 'string' },
    best: { type: 'boolean', default: false },
    out: { type: 'string' },
    'config-out': { type: 'string' },
    'allow-tau-change': { type: 'boolean', default: false },
    ...OVERWRITE,
    backend: { type: 'string', default: 'auto' },
  },
  async run(values) {
    const [checkpoint, out, configOut] = [str(values, 'checkpoint'), str(values, 'out'), str(values, 'config-out')];
    if (!checkpoint || !out) throw new UsageError(`export needs --checkpoint DIR and --out FILE\n\n${help}`);
    checkOutputPath('--out', out, { '--checkpoint': checkpoint }, values.overwrite === true);
    if (configOut) checkOutputPath('--config-out', configOut, { '--checkpoint': checkpoint, '--out': out }, values.overwrite === true);
    const backend = await startBackend(str(values, 'backend') as BackendChoice);
    console.error(`backend: ${backend}`);
    const r = await exportOfficial({
      checkpoint,
      which: values.best ? 'best' : 'latest',
      out,
      ...(configOut ? { configOut } : {}),
      allowTauChange: values['allow-tau-change'] === true,
    });
    console.error(`exported ${r.params.toLocaleString('en-US')} parameters in ${r.seconds.toFixed(1)} s -> ${r.out}; GPT-NeoX arguments -> ${r.configOut}`);
    console.log(JSON.stringify(r.neoxArgs, null, 2));
  },
};
