// tokenformer train
import { startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { trainCommand as train } from '../train.js';
import { DEFAULT_TRAIN_CONFIG, loadTrainConfig } from '../trainConfig.js';
import { count, BACKEND_HELP, num, str, stringOptions, UsageError, type Command } from './command.js';

const help = `tokenformer train --data DIR --out RUNDIR [--config FILE.json|.yaml] [--backend B] [--key=value ...]

  --data DIR         what "tokenformer prepare" wrote
  --out RUNDIR       checkpoints/<step>/, latest, best, metrics.jsonl, report.md; a RUNDIR that has a
                     checkpoint is resumed from it
  --config FILE      settings (JSON or YAML); --key=value overrides any of them, --model.hiddenSize=64 a
                     model field; an unknown key is an error
  ${BACKEND_HELP}
  --threads N        wasm threads (default 1; 2 uses both cores of a 2-core machine: the threaded
                     wasm build, started as packages/node-runtime/src/wasmThreads.ts describes)

settings and defaults:
${Object.entries(DEFAULT_TRAIN_CONFIG)
  .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`)
  .join('\n')}`;

export const trainCommand: Command = {
  summary: 'a prepared data directory -> a run directory (checkpoints, metrics, report)',
  help,
  options: stringOptions('data', 'out', 'config', 'backend', 'threads'),
  takesSettings: true,
  async run(values, overrides) {
    const data = str(values, 'data');
    const out = str(values, 'out');
    if (data === undefined || out === undefined) throw new UsageError(`train needs --data DIR and --out RUNDIR\n\n${help}`);
    const settings = loadTrainConfig(str(values, 'config'), overrides);
    const backend = await startBackend((str(values, 'backend') ?? 'auto') as BackendChoice, { threads: count('threads', values.threads, 1) });
    const summary = await train({ data, out, config: settings, backend });
    console.log(JSON.stringify(summary, null, 2));
  },
};
