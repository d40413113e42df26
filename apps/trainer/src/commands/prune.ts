// tokenformer prune: parameter-token pruning (the trainer's pruneCheckpoints deletes old checkpoints)
import { checkOutputPath, startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { pruneCommand as prune } from '../prune.js';
import { count, BACKEND_HELP, num, numbers, str, stringOptions, UsageError, type Command, OVERWRITE } from './command.js';

const help = `tokenformer prune --checkpoint DIR --out DIR --data DIR --keep F [options]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint)
  --out DIR          the pruned checkpoint (config, weights, tokenizer; no optimizer state)
  --data DIR         a prepared data directory: calibration batches from its validation split
  --keep F           fraction of each pruned Pattention's tokens to keep, in (0, 1]
  --slots LIST       which kinds, e.g. ffn,proj (default: query,key,value,proj,ffn)
  --layers 0,2       which layers (default: all)
  --tau T            calibrated (default: τ scaled by the kept share of the normaliser on the
                     calibration data) | keep (the trained τ) | official (τ = √n of the new n)
  --batches N (8)    --seq-length T (64, or the model's maxSeqLen - 1)   --batch-size B (8):
                     the calibration batches
  ${BACKEND_HELP}
  Importance of a token: its mean |weight| on the calibration tokens times the norm of its value.
  Prints what was pruned and the calibration loss before and after.
  --overwrite        replace the output if it exists (an output is never one of the inputs)`;

export const pruneCommand: Command = {
  summary: 'a checkpoint with fewer parameter tokens, the least important dropped',
  help,
  options: { ...stringOptions('checkpoint', 'out', 'data', 'keep', 'slots', 'layers', 'tau', 'batches', 'seq-length', 'batch-size', 'backend'), ...OVERWRITE },
  async run(values) {
    const [checkpoint, out, data] = [str(values, 'checkpoint'), str(values, 'out'), str(values, 'data')];
    if (!checkpoint || !out || !data || values.keep === undefined) throw new UsageError(`prune needs --checkpoint DIR, --out DIR, --data DIR and --keep F\n\n${help}`);
    checkOutputPath('--out', out, { '--checkpoint': checkpoint, '--data': data }, values.overwrite === true);
    const [slots, layers, tau] = [str(values, 'slots'), str(values, 'layers'), str(values, 'tau')];
    const backend = await startBackend((str(values, 'backend') ?? 'auto') as BackendChoice);
    console.error(`backend: ${backend}`);
    const r = await prune({
      checkpoint,
      out,
      data,
      keep: num('keep', values.keep, 1),
      ...(slots ? { slots: slots.split(',').map((v) => v.trim()) as never } : {}),
      ...(layers ? { layers: numbers('layers', layers) } : {}),
      ...(tau ? { tau: tau as never } : {}),
      batches: count('batches', values.batches, 8),
      ...(values['seq-length'] !== undefined ? { seqLength: count('seq-length', values['seq-length'], 64, 2) } : {}),
      batchSize: count('batch-size', values['batch-size'], 8),
    });
    for (const p of r.pruned) console.error(`layer ${p.layer} ${p.slot}: ${p.from} -> ${p.to} tokens, tau ${p.tauBefore.toFixed(4)} -> ${p.tauAfter.toFixed(4)}`);
    console.error(`parameters ${r.paramsBefore.toLocaleString('en-US')} -> ${r.paramsAfter.toLocaleString('en-US')}; calibration loss ${r.lossBefore.toFixed(4)} -> ${r.lossAfter.toFixed(4)} nats/token`);
    console.log(JSON.stringify(r, null, 2));
  },
};
