#!/usr/bin/env node
// tokenformer: prepare data, train, generate, grow, and the main job. `tokenformer <command> --help`.
import { parseArgs } from 'node:util';
import { BACKENDS, type BackendChoice, startBackend } from './backend.js';
import { DEMO_CONFIG, demo } from './demo.js';
import { generateText } from './generate.js';
import { growCommand } from './grow.js';
import { exportCommand, importCommand } from './interop.js';
import { prepare } from './prepare.js';
import { pruneCommand } from './prune.js';
import { trainCommand } from './train.js';
import { DEFAULT_TRAIN_CONFIG, loadTrainConfig } from './trainConfig.js';

const HELP: Record<string, string> = {
  '': `tokenformer: TokenFormer on Node

commands:
  prepare    corpus -> tokenizer (trained or given) -> indexed datasets
  train      a prepared data directory -> a run directory (checkpoints, metrics, report)
  demo       the main job: prepare the embedded corpus, train, sample, report
  generate   text from a checkpoint
  grow       a checkpoint with more parameter tokens (exactly the same function by default)
  prune      a checkpoint with fewer parameter tokens, the least important dropped
  import     an official TokenFormer pytorch_model.bin (GPT-NeoX) -> a checkpoint directory
  export     a checkpoint -> an official pytorch_model.bin + its GPT-NeoX arguments
run "tokenformer <command> --help" for its options`,
  prepare: `tokenformer prepare [--corpus sotu | --corpus PATH ...] --out DIR [options]

  --corpus PATH      text / JSONL files or folders (.gz, .zst too), repeatable; "sotu" = the embedded
                     State of the Union corpus (default)
  --out DIR          where tokenizer.json, data_{train,valid}_text_document.{bin,idx} and prepare.json go
  --tokenizer FILE   use this tokenizer.json (or folder); default: train a byte-level BPE
  --vocab N          vocabulary of the trained BPE (default 4096)
  --valid F          share of documents for validation (default 0.02)
  --seed N           seed of the split (default 1234)
  --field NAME       JSONL text field (default "text")`,
  train: `tokenformer train --data DIR --out RUNDIR [--config FILE.json|.yaml] [--backend B] [--key=value ...]

  --data DIR         what "tokenformer prepare" wrote
  --out RUNDIR       checkpoints/<step>/, latest, best, metrics.jsonl, report.md; a RUNDIR that has a
                     checkpoint is resumed from it
  --config FILE      settings (JSON or YAML); --key=value overrides any of them, --model.hiddenSize=64 a
                     model field; an unknown key is an error
  --backend B        ${BACKENDS.join(' | ')} (default auto)
  --threads N        wasm threads (default 1; 2 uses both cores of a 2-core machine: the threaded
                     wasm build, started as apps/trainer/src/wasmThreads.ts describes)

settings and defaults:
${Object.entries(DEFAULT_TRAIN_CONFIG)
  .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`)
  .join('\n')}`,
  demo: `tokenformer demo [--out DIR] [--vocab N] [--backend B] [--key=value ...]

  The main job: the State of the Union corpus, a byte-level BPE trained on it (--vocab, 4096), a
  small TokenFormer trained on it, a sample, and DIR/run/report.md (DIR: runs/demo). Running it
  again reuses the prepared data and resumes training. --key=value overrides training settings.
  --backend B        ${BACKENDS.join(' | ')} (default auto)
  --threads N        wasm threads (default 1)`,
  generate: `tokenformer generate --checkpoint DIR [options]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint)
  --best             a run directory's best checkpoint instead of its latest
  --tokenizer FILE   default: the checkpoint's tokenizer.json
  --prompt TEXT      (default "The")
  --max-new-tokens N (64)   --temperature T (0.8; 0 = greedy)   --top-k K (0 = off)
  --top-p P (1 = off)       --seed N
  --backend B        ${BACKENDS.join(' | ')} (default auto)`,
  grow: `tokenformer grow --checkpoint DIR --out DIR --add-ffn N [options]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint)
  --out DIR          the grown checkpoint: config, weights, tokenizer, and the AdamW state grown with
                     it when the source has one (new tokens' moments zero)
  --add-qkv N        tokens to add to each of the query, key and value Pattentions
  --add-query N, --add-key N, --add-value N, --add-proj N, --add-ffn N   to one kind
  --layers 0,2       which layers (default: all)
  --init I           zero-keys (default: zero keys, random values) | random | zero
  --tau T            exact (default: keep each τ, the same function) | official (τ = √n of the new n)
  --seed N           seed of the random new tokens
  --backend B        ${BACKENDS.join(' | ')} (default auto)
  Prints what grew and how far the grown model's logits are from the source's on a probe batch.`,
  prune: `tokenformer prune --checkpoint DIR --out DIR --data DIR --keep F [options]

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
  --backend B        ${BACKENDS.join(' | ')} (default auto)
  Importance of a token: its mean |weight| on the calibration tokens times the norm of its value.
  Prints what was pruned and the calibration loss before and after.`,
  import: `tokenformer import --from FILE --config CONFIG --out DIR [--tokenizer FILE]

  --from FILE        the official state dict: pytorch_model.bin (torch.save zip or legacy format)
                     or a safetensors file with the official key names; float32, float16 or bfloat16
  --config CONFIG    the GPT-NeoX config it was trained or evaluated with (e.g. the release's
                     configs/tokenformer/150M_eval.yml), or JSON with the same keys (dashes or
                     underscores). The tensors decide the vocabulary, width, layers and token counts,
                     and a config value that contradicts them is an error; keys it leaves out take the
                     released configs' values (rotary_pct 0.25, seq_length 2048, l2_norm_gelu, ...)
  --out DIR          the checkpoint directory (config.json, model.safetensors), written atomically
  --tokenizer FILE   a tokenizer.json to store with it (the release's 20B_tokenizer.json), so
                     generate and evaluation find it
  Streams: one storage in memory at a time; no backend is needed.`,
  export: `tokenformer export --checkpoint DIR --out FILE [--config-out FILE.yml] [--allow-tau-change]

  --checkpoint DIR   a checkpoint directory, or a run directory (its latest checkpoint; --best)
  --out FILE         the pytorch_model.bin to write (a torch.save zip, float32, GPT-NeoX key names;
                     GPT-NeoX's eval loads it with load_state_dict, eval_ckpt: FILE)
  --config-out FILE  the GPT-NeoX arguments that rebuild the model, as YAML (default FILE's name
                     with .neox.yml); also printed
  --allow-tau-change export a model whose τ is pinned (exact growth) although GPT-NeoX recomputes
                     τ = √n, which changes its function (without it, that is an error)
  --backend B        ${BACKENDS.join(' | ')} (default auto)`,
};

class UsageError extends Error {
  override name = 'UsageError';
}

function num(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} ${JSON.stringify(v)} is not a number`);
  return n;
}

/** A comma-separated list of numbers, e.g. --layers 0,2. */
function numbers(name: string, v: string): number[] {
  return v.split(',').map((x) => num(name, x.trim(), 0));
}

/**
 * The options of a command that takes settings: `known` options with their values, and every
 * other `--key=value` as a setting override (checked later against the settings' keys).
 */
function settingArgs(args: string[], known: string[]): { values: Record<string, string | undefined>; overrides: Record<string, string> } {
  const { values: all, positionals } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    options: Object.fromEntries(known.map((k) => [k, { type: 'string' as const }])),
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}: settings are written --key=value`);
  const values: Record<string, string | undefined> = {};
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (typeof v !== 'string') throw new UsageError(`--${k} needs a value: --${k}=VALUE`);
    if (known.includes(k)) values[k] = v;
    else overrides[k] = v;
  }
  return { values, overrides };
}

async function main(argv: string[]): Promise<void> {
  const [command = '', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === '' || rest.includes('--help') || rest.includes('-h')) {
    const text = HELP[command.startsWith('-') ? '' : command];
    if (text === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${HELP['']}`);
    console.log(text);
    return;
  }
  if (command === 'prepare') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        corpus: { type: 'string', multiple: true },
        out: { type: 'string' },
        tokenizer: { type: 'string' },
        vocab: { type: 'string' },
        valid: { type: 'string' },
        seed: { type: 'string' },
        field: { type: 'string' },
      },
    });
    if (!values.out) throw new UsageError(`prepare needs --out DIR\n\n${HELP.prepare}`);
    const report = await prepare({
      corpus: values.corpus ?? ['sotu'],
      out: values.out,
      ...(values.tokenizer ? { tokenizer: values.tokenizer } : {}),
      vocabSize: num('vocab', values.vocab, 4096),
      validFraction: num('valid', values.valid, 0.02),
      seed: num('seed', values.seed, 1234),
      field: values.field ?? 'text',
      log: (l) => console.error(l),
    });
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  if (command === 'train') {
    const { values, overrides } = settingArgs(rest, ['data', 'out', 'config', 'backend', 'threads']);
    if (values.data === undefined || values.out === undefined) throw new UsageError(`train needs --data DIR and --out RUNDIR\n\n${HELP.train}`);
    const settings = loadTrainConfig(values.config, overrides);
    const active = await startBackend((values.backend ?? 'auto') as BackendChoice, { threads: num('threads', values.threads, 1) });
    const summary = await trainCommand({ data: values.data, out: values.out, config: settings, backend: active });
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  if (command === 'demo') {
    const { values, overrides } = settingArgs(rest, ['out', 'vocab', 'backend', 'threads']);
    const config = loadTrainConfig(undefined, overrides, DEMO_CONFIG);
    const active = await startBackend((values.backend ?? 'auto') as BackendChoice, { threads: num('threads', values.threads, 1) });
    const started = Date.now();
    const s = await demo({ out: values.out ?? 'runs/demo', vocabSize: num('vocab', values.vocab, 4096), backend: active, config });
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    console.log(`
main job done in ${minutes} min
  backend                 ${s.backend}
  training throughput     ${Math.round(s.tokensPerSec)} tokens/s
  validation loss         ${s.firstValidationLoss?.toFixed(3)} -> ${s.lastValidationLoss?.toFixed(3)} nats/token
  unigram entropy         ${s.unigramEntropy.toFixed(3)} nats/token (goal: loss <= ${(0.8 * s.unigramEntropy).toFixed(3)}; reached ${s.ratio?.toFixed(3)} x)
  sample                  ${JSON.stringify(s.sample)}
  held-out evaluation     ${s.evaluation.natsPerToken.toFixed(3)} nats/token, ${s.evaluation.bitsPerByte.toFixed(3)} bits/byte, token perplexity ${s.evaluation.tokenPerplexity.toFixed(1)}; cloze (${s.evaluation.clozeItems} passages) accuracy ${s.evaluation.clozeAcc.toFixed(3)}, perplexity of the word ${s.evaluation.clozePerplexity.toFixed(0)} (${s.evaluation.seconds.toFixed(0)} s)
  report                  ${s.report}
  grown exactly           ${s.growth.paramsBefore.toLocaleString('en-US')} -> ${s.growth.paramsAfter.toLocaleString('en-US')} parameters, max |logit change| ${s.growth.maxAbsLogitDiff.toExponential(1)} (${s.growth.checkpoint})`);
    return;
  }
  if (command === 'generate') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
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
        backend: { type: 'string', default: 'auto' },
      },
    });
    if (!values.checkpoint) throw new UsageError(`generate needs --checkpoint DIR\n\n${HELP.generate}`);
    const backend = await startBackend(values.backend as BackendChoice);
    console.error(`backend: ${backend}`);
    const prompt = values.prompt ?? 'The';
    process.stdout.write(prompt);
    await generateText(
      {
        checkpoint: values.checkpoint,
        which: values.best ? 'best' : 'latest',
        ...(values.tokenizer ? { tokenizer: values.tokenizer } : {}),
        prompt,
        maxNewTokens: num('max-new-tokens', values['max-new-tokens'], 64),
        temperature: num('temperature', values.temperature, 0.8),
        topK: num('top-k', values['top-k'], 0),
        topP: num('top-p', values['top-p'], 1),
        ...(values.seed !== undefined ? { seed: num('seed', values.seed, 0) } : {}),
      },
      (s) => process.stdout.write(s),
    );
    process.stdout.write('\n');
    return;
  }
  if (command === 'grow') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: Object.fromEntries(
        ['checkpoint', 'out', 'add-qkv', 'add-query', 'add-key', 'add-value', 'add-proj', 'add-ffn', 'layers', 'init', 'tau', 'seed', 'backend'].map((k) => [k, { type: 'string' as const }]),
      ),
    }) as { values: Record<string, string | undefined> };
    if (!values.checkpoint || !values.out) throw new UsageError(`grow needs --checkpoint DIR and --out DIR\n\n${HELP.grow}`);
    const qkv = num('add-qkv', values['add-qkv'], 0);
    const add = {
      query: num('add-query', values['add-query'], qkv),
      key: num('add-key', values['add-key'], qkv),
      value: num('add-value', values['add-value'], qkv),
      proj: num('add-proj', values['add-proj'], 0),
      ffn: num('add-ffn', values['add-ffn'], 0),
    };
    const layers = values.layers !== undefined ? numbers('layers', values.layers) : undefined;
    const backend = await startBackend((values.backend ?? 'auto') as BackendChoice);
    console.error(`backend: ${backend}`);
    const r = await growCommand({
      checkpoint: values.checkpoint,
      out: values.out,
      add,
      ...(layers ? { layers } : {}),
      ...(values.init ? { init: values.init as never } : {}),
      ...(values.tau ? { tau: values.tau as never } : {}),
      ...(values.seed !== undefined ? { seed: num('seed', values.seed, 0) } : {}),
    });
    for (const g of r.grown) console.error(`layer ${g.layer} ${g.slot}: ${g.from} -> ${g.to} tokens, tau ${g.tauBefore.toFixed(4)} -> ${g.tauAfter.toFixed(4)}`);
    console.error(`parameters ${r.paramsBefore.toLocaleString('en-US')} -> ${r.paramsAfter.toLocaleString('en-US')}; max |logit change| on a probe batch ${r.deviation.maxAbsLogitDiff.toExponential(2)} (loss ${r.deviation.lossBefore.toFixed(4)} -> ${r.deviation.lossAfter.toFixed(4)})`);
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  if (command === 'prune') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: Object.fromEntries(
        ['checkpoint', 'out', 'data', 'keep', 'slots', 'layers', 'tau', 'batches', 'seq-length', 'batch-size', 'backend'].map((k) => [k, { type: 'string' as const }]),
      ),
    }) as { values: Record<string, string | undefined> };
    if (!values.checkpoint || !values.out || !values.data || values.keep === undefined) throw new UsageError(`prune needs --checkpoint DIR, --out DIR, --data DIR and --keep F\n\n${HELP.prune}`);
    const backend = await startBackend((values.backend ?? 'auto') as BackendChoice);
    console.error(`backend: ${backend}`);
    const r = await pruneCommand({
      checkpoint: values.checkpoint,
      out: values.out,
      data: values.data,
      keep: num('keep', values.keep, 1),
      ...(values.slots ? { slots: values.slots.split(',').map((v) => v.trim()) as never } : {}),
      ...(values.layers ? { layers: numbers('layers', values.layers) } : {}),
      ...(values.tau ? { tau: values.tau as never } : {}),
      batches: num('batches', values.batches, 8),
      ...(values['seq-length'] !== undefined ? { seqLength: num('seq-length', values['seq-length'], 64) } : {}),
      batchSize: num('batch-size', values['batch-size'], 8),
    });
    for (const p of r.pruned) console.error(`layer ${p.layer} ${p.slot}: ${p.from} -> ${p.to} tokens, tau ${p.tauBefore.toFixed(4)} -> ${p.tauAfter.toFixed(4)}`);
    console.error(`parameters ${r.paramsBefore.toLocaleString('en-US')} -> ${r.paramsAfter.toLocaleString('en-US')}; calibration loss ${r.lossBefore.toFixed(4)} -> ${r.lossAfter.toFixed(4)} nats/token`);
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  if (command === 'import') {
    const { values } = parseArgs({ args: rest, strict: true, options: Object.fromEntries(['from', 'config', 'out', 'tokenizer'].map((k) => [k, { type: 'string' as const }])) }) as { values: Record<string, string | undefined> };
    if (!values.from || !values.config || !values.out) throw new UsageError(`import needs --from FILE, --config CONFIG and --out DIR\n\n${HELP.import}`);
    const r = await importCommand({ from: values.from, config: values.config, out: values.out, ...(values.tokenizer ? { tokenizer: values.tokenizer } : {}) });
    const c = r.config;
    console.error(`imported ${r.tensors} tensors (${r.format}) in ${r.seconds.toFixed(1)} s: ${r.params.toLocaleString('en-US')} parameters, ${c.numLayers} layers x ${c.hiddenSize}, ${c.numAttentionHeads} heads, vocab ${c.vocabSize}, qkv/proj/ffn tokens ${c.layers[0]!.query.paramTokenNum}/${c.layers[0]!.proj.paramTokenNum}/${c.layers[0]!.ffn.paramTokenNum} -> ${r.out}`);
    console.log(JSON.stringify({ out: r.out, format: r.format, tensors: r.tensors, params: r.params, seconds: r.seconds }, null, 2));
    return;
  }
  if (command === 'export') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        checkpoint: { type: 'string' },
        best: { type: 'boolean', default: false },
        out: { type: 'string' },
        'config-out': { type: 'string' },
        'allow-tau-change': { type: 'boolean', default: false },
        backend: { type: 'string', default: 'auto' },
      },
    });
    if (!values.checkpoint || !values.out) throw new UsageError(`export needs --checkpoint DIR and --out FILE\n\n${HELP.export}`);
    const backend = await startBackend(values.backend as BackendChoice);
    console.error(`backend: ${backend}`);
    const r = await exportCommand({
      checkpoint: values.checkpoint,
      which: values.best ? 'best' : 'latest',
      out: values.out,
      ...(values['config-out'] ? { configOut: values['config-out'] } : {}),
      allowTauChange: values['allow-tau-change'],
    });
    console.error(`exported ${r.params.toLocaleString('en-US')} parameters in ${r.seconds.toFixed(1)} s -> ${r.out}; GPT-NeoX arguments -> ${r.configOut}`);
    console.log(JSON.stringify(r.neoxArgs, null, 2));
    return;
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${HELP['']}`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  const usage = e instanceof UsageError || e.name === 'ConfigKeyError' || e.name === 'GrowthError' || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`tokenformer: ${e.message}`);
  process.exit(usage ? 2 : 1);
});
