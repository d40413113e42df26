// `tokenformer train`: a prepared data directory + a config -> a run directory (resumed when it
// has a checkpoint), with a progress line (a TTY) or plain log lines, metrics.jsonl and report.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { grow } from '@tokenformer/growth';
import { configFromJson, createConfig, preset, type PresetName, type TokenFormerConfig } from '@tokenformer/model';
import { Tokenizer } from '@tokenformer/tokenizer';
import { describeWasmMatMul } from '@tokenformer/kernels/wasm';
import { completeRunSettings, resolveCheckpoint, runTraining } from '@tokenformer/trainer/node';
import { readPrepared } from './prepare.js';
import { type ReportSummary, writeReport } from './report.js';
import { ConfigKeyError, type TrainConfig } from './trainConfig.js';

export interface TrainCommandOptions {
  data: string;
  out: string;
  config: TrainConfig;
  backend: string;
  /** Where progress goes (stderr); a TTY gets one updating line. */
  progress?: NodeJS.WriteStream;
}

export interface TrainSummary extends ReportSummary {
  backend: string;
  params: number;
  runDir: string;
  resumedFrom: string | null;
  latest: string;
}

function modelConfig(spec: TrainConfig['model'], vocabSize: number): TokenFormerConfig {
  if (spec.preset) {
    const { preset: name, ...rest } = spec;
    return preset(name as PresetName, { ...rest, vocabSize });
  }
  return createConfig({ ...(spec as Required<Omit<TrainConfig['model'], 'preset'>>), vocabSize });
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

export async function trainCommand(o: TrainCommandOptions): Promise<TrainSummary> {
  const c = o.config;
  const grows = Array.isArray(c.growAt) ? c.growAt.length > 0 : Boolean(c.growAt);
  if (grows && c.growQkv + c.growProj + c.growFfn === 0) {
    throw new ConfigKeyError(`--growAt=${JSON.stringify(c.growAt)} grows nothing: give --growQkv, --growProj or --growFfn (checked before any step is trained)`);
  }
  const prep = readPrepared(o.data);
  const tokenizerJson = readFileSync(join(o.data, prep.tokenizer), 'utf8');
  const tokenizer = Tokenizer.fromJSON(tokenizerJson);
  // --initFrom (a checkpoint or run directory, e.g. a grown one): the model is the checkpoint's.
  const initFrom = o.config.initFrom ? resolveCheckpoint(o.config.initFrom) : '';
  const config = initFrom ? configFromJson(readFileSync(join(initFrom, 'config.json'), 'utf8')) : modelConfig(o.config.model, tokenizer.vocabSize());
  if (config.vocabSize < tokenizer.vocabSize()) throw new Error(`the model's vocabulary (${config.vocabSize}) is smaller than the tokenizer's (${tokenizer.vocabSize()})`);
  // the run's settings: the config less the model and the growth (this command's grow hook uses those)
  const { model: _spec, growQkv: _q, growProj: _p, growFfn: _f, growInit: _i, growTau: _t, growSeed: _s, ...rest } = o.config;
  const settings = { ...rest, initFrom, trainData: join(o.data, prep.train.prefix), ...(prep.valid ? { validData: join(o.data, prep.valid.prefix) } : {}) };
  try {
    completeRunSettings(settings, config); // a bad value is a usage error (exit 2), found before the run starts
  } catch (e) {
    throw new ConfigKeyError((e as Error).message);
  }
  const out = o.progress ?? process.stderr;
  const tty = out.isTTY === true;
  let stop = false;
  const onSigint = (): void => {
    stop = true;
    out.write('\ninterrupted: saving a checkpoint at the end of this step (Ctrl-C again to quit now)\n');
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  let resumedFrom: string | null = null;
  let params = 0;
  const started = Date.now();
  let startStep = 0;
  try {
    const result = await runTraining(
      o.out,
      config,
      settings,
      {
        shouldStop: () => stop,
        ...(grows
          ? {
              grow: (config: TokenFormerConfig, weights: Map<string, tf.Tensor>, moments: Map<string, tf.Tensor>) => {
                const c = o.config;
                const add = { query: c.growQkv, key: c.growQkv, value: c.growQkv, proj: c.growProj, ffn: c.growFfn };
                return grow(config, weights, { add, init: c.growInit, tau: c.growTau, seed: c.growSeed }, moments);
              },
              onGrow: (g: { step: number; paramsBefore: number; paramsAfter: number }) =>
                out.write(`${tty ? '\n' : ''}grew after step ${g.step}: ${g.paramsBefore.toLocaleString('en')} -> ${g.paramsAfter.toLocaleString('en')} parameters\n`),
            }
          : {}),
        onStart: (i) => {
          resumedFrom = i.resumedFrom;
          params = i.params;
          startStep = i.step;
          out.write(`backend: ${i.backend}${i.backend === 'wasm' ? ` (${describeWasmMatMul()})` : ''}; ${i.params.toLocaleString('en')} parameters; ${i.resumedFrom ? `resuming from ${i.resumedFrom} (step ${i.step})` : initFrom ? `a new run from ${initFrom}` : 'a new run'} in ${o.out}\n`);
        },
        onStep: (e) => {
          const done = e.step - startStep;
          const left = ((Date.now() - started) / 1000 / Math.max(done, 1)) * (e.totalSteps - e.step);
          const line = `step ${e.step}/${e.totalSteps}  loss ${e.loss.toFixed(4)}  lr ${e.lr.toExponential(2)}  ${Math.round(e.tokensPerSec)} tok/s  ETA ${eta(left)}${e.skipped ? '  (skipped: non-finite)' : ''}`;
          if (tty) out.write(`\r${line}\x1b[K`);
          else if (e.step % 10 === 0 || e.step === e.totalSteps) out.write(`${line}\n`);
        },
        onValidation: (e) => out.write(`${tty ? '\n' : ''}validation at step ${e.step}: loss ${e.loss.toFixed(4)} nats/token (${e.tokens} tokens)\n`),
        onCheckpoint: (dir) => {
          if (!tty) out.write(`checkpoint: ${dir}\n`);
        },
      },
      { 'tokenizer.json': tokenizerJson },
    );
    const report = writeReport(o.out, { title: `TokenFormer run ${o.out}`, backend: o.backend, config: { model: config, settings }, unigramEntropy: prep.unigramEntropy, params });
    return { ...report, backend: o.backend, params, runDir: o.out, resumedFrom, latest: result.latest };
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
