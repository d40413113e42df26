// The main job (README command 1): the embedded corpus -> a byte-level BPE trained on it -> indexed
// datasets -> a small TokenFormer trained on this machine -> a sample -> the report -> the trained
// model grown exactly (the growth step), ending with a plain summary. Re-running continues where it stopped (prepared data is reused, training resumes).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFromJson, type SlotName } from '@tokenformer/model';
import { generateText } from './generate.js';
import { growCommand } from './grow.js';
import { evaluateHeldOut, heldOutMarkdown } from './heldOut.js';
import { heldOutPrompt, writePageLink, type PageLink } from './pageLink.js';
import { PREPARE_FILE, prepare, readPrepared } from './prepare.js';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { writeReport } from './report.js';
import { trainCommand } from './train.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './trainConfig.js';

export interface DemoOptions {
  out: string;
  vocabSize: number;
  backend: string;
  /** The training settings (`DEMO_CONFIG`, with any overrides). */
  config: TrainConfig;
  log?: (line: string) => void;
}

/**
 * The demo's training settings: a 2-layer, d 64 model sized so that 2 cores on wasm reach the goal
 * (validation loss <= 0.8x the unigram entropy, vocab 4096) in about five minutes. Measured on the
 * way there (SOTU, vocab 4096, validation loss after the same number of tokens): short sequences
 * and small batches learn faster per token (16x32 beat 8x64, 8x128 and 32x32), d 64 learns almost
 * as much per token as d 128 at twice the speed, and this small model wants a high peak rate
 * (1.5e-2 beat 1e-2 and 7e-3; the official 6e-4 is for models 100x larger).
 */
export const DEMO_CONFIG: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  model: { hiddenSize: 64, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 64, projSlotNum: 64, ffnSlotNum: 256, maxSeqLen: 64 },
  seqLength: 32,
  batchSize: 16,
  steps: 1200,
  maxLr: 1.5e-2,
  minLr: 1.5e-3,
  warmupSteps: 20,
  validEvery: 200,
  validBatches: 16,
  checkpointEvery: 200,
};

export interface DemoSummary {
  backend: string;
  tokensPerSec: number;
  firstValidationLoss: number | null;
  lastValidationLoss: number | null;
  unigramEntropy: number;
  /** last validation loss / unigram entropy (the job's goal: at most 0.8). */
  ratio: number | null;
  sample: string;
  report: string;
  /** The web page's settings for this model (`pnpm web` opens them): a held-out prompt, no stop token. */
  page: PageLink;
  /** The growth step: the trained model grown exactly (zero keys, τ pinned), and how far its logits moved. */
  growth: { checkpoint: string; paramsBefore: number; paramsAfter: number; maxAbsLogitDiff: number };
  /** The held-out evaluation (also in the report and in run/eval/evaluation.json). */
  evaluation: { natsPerToken: number; bitsPerByte: number; tokenPerplexity: number; clozeItems: number; clozeAcc: number; clozePerplexity: number; seconds: number };
}

export async function demo(o: DemoOptions): Promise<DemoSummary> {
  const log = o.log ?? ((l: string) => console.error(l));
  const data = join(o.out, 'data');
  if (!existsSync(join(data, PREPARE_FILE))) {
    log(`1/5 prepare: the State of the Union corpus, a ${o.vocabSize}-token BPE trained on it, indexed datasets -> ${data}`);
    await prepare({ corpus: ['sotu'], out: data, vocabSize: o.vocabSize, validFraction: 0.02, seed: 1234, field: 'text', log });
  } else log(`1/5 prepare: reusing ${data}`);
  const runDir = join(o.out, 'run');
  log(`2/5 train on ${o.backend} -> ${runDir}`);
  const config = o.config;
  const trained = await trainCommand({ data, out: runDir, config, backend: o.backend });
  log('3/5 sample');
  const page: PageLink = { prompt: heldOutPrompt(data, loadTokenizer(join(data, readPrepared(data).tokenizer))), maxNewTokens: 96, temperature: 0.8, topP: 0.95, seed: 1, stop: [] };
  writePageLink(runDir, page);
  const { text } = await generateText({ checkpoint: runDir, which: 'best', prompt: 'The Congress', maxNewTokens: 48, temperature: 0.8, topK: 0, topP: 0.95, seed: 1 });
  const evalDir = join(runDir, 'eval');
  log(`4/5 evaluate the best checkpoint on the held-out split: perplexity, bits per byte, a LAMBADA-style cloze -> ${evalDir}`);
  const evaluation = await evaluateHeldOut({ checkpoint: runDir, data, out: evalDir });
  const report = writeReport(runDir, {
    title: 'TokenFormer on the State of the Union addresses (the main job)',
    backend: o.backend,
    config,
    unigramEntropy: trained.unigramEntropy,
    params: trained.params,
    sample: `The Congress${text}`,
    evaluation: heldOutMarkdown(evaluation),
  });
  const grownDir = join(o.out, 'grown');
  log(`5/5 grow the trained model by half its parameter tokens, exactly (zero keys, τ pinned) -> ${grownDir}`);
  // half of each Pattention's tokens, as the trained checkpoint has them (whatever the settings said)
  const slots = configFromJson(readFileSync(join(trained.latest, 'config.json'), 'utf8')).layers[0]!;
  const half = (slot: SlotName) => Math.ceil(slots[slot].paramTokenNum / 2);
  const grown = await growCommand({
    checkpoint: runDir,
    out: grownDir,
    add: { query: half('query'), key: half('key'), value: half('value'), proj: half('proj'), ffn: half('ffn') },
    seed: 1,
  });
  const entropy = trained.unigramEntropy ?? NaN;
  return {
    backend: o.backend,
    tokensPerSec: trained.tokensPerSec,
    firstValidationLoss: trained.firstValidationLoss,
    lastValidationLoss: trained.lastValidationLoss,
    unigramEntropy: entropy,
    ratio: trained.lastValidationLoss !== null ? trained.lastValidationLoss / entropy : null,
    sample: `The Congress${text}`,
    report: report.reportPath,
    page,
    evaluation: {
      natsPerToken: evaluation.perplexity.natsPerToken,
      bitsPerByte: evaluation.perplexity.bitsPerByte,
      tokenPerplexity: evaluation.perplexity.tokenPerplexity,
      clozeItems: evaluation.cloze.items,
      clozeAcc: evaluation.cloze.acc,
      clozePerplexity: evaluation.cloze.perplexity,
      seconds: evaluation.seconds,
    },
    growth: { checkpoint: grownDir, paramsBefore: grown.paramsBefore, paramsAfter: grown.paramsAfter, maxAbsLogitDiff: grown.deviation.maxAbsLogitDiff },
  };
}
