// A training run in the worker: the model, its TrainStep (the same AdamW, schedule, clipping and
// non-finite skip as `tokenformer train`), the seeded GPT-NeoX sampler, the held-out batches, and
// what the page shows (losses by step, held-out losses, the growth). Everything needed to go on
// bit-identically is in `checkpointFiles()`; start.ts builds a session, new or from those files.
import * as tf from '@tensorflow/tfjs-core';
import { documentsFromArrays, GptSampler, type SamplerCursor } from '@tokenformer/data';
import { generateFromText } from '@tokenformer/evaluator';
import { grow } from '@tokenformer/growth';
import { serializeCheckpoint, type TokenFormer } from '@tokenformer/model';
import type { Tokenizer } from '@tokenformer/tokenizer';
import { learningRateSchedule, serializeOptimizerState, TrainStep, validationLoss, type Schedule, type TokenBatch } from '@tokenformer/trainer';
import type { TrainSettings } from './settings.js';
import type { Files } from './storage.js';

/** The page's trainer_state.json: the step, the settings, the data cursor and the curves so far. */
export interface RunState {
  format: 'tokenformer-web-train/1';
  step: number;
  settings: TrainSettings;
  samplerCursor: SamplerCursor;
  /** Training loss and learning rate of each step (index step - 1). */
  losses: number[];
  lrs: number[];
  /** [step, held-out loss]. */
  valid: [number, number][];
  /** Every growth so far, in order. */
  grows: GrowRecord[];
  nonFiniteTotal: number;
  /** Wall-clock seconds spent training (for tokens/s across reloads). */
  seconds: number;
}

/** `#train`'s data-grow: what growing between two steps changed. */
export interface GrowRecord {
  step: number;
  paramsBefore: number;
  paramsAfter: number;
  /** Held-out loss just before and just after (equal for exact growth). */
  lossBefore: number;
  lossAfter: number;
  /** max |logits after - logits before| on the first held-out batch. */
  maxLogitChange: number;
  add: { qkv: number; proj: number; ffn: number };
}

export const STATE_FILE = 'trainer_state.json';
export const VALID_BATCHES = 4;

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 1)}\n`);
}

export class Session {
  readonly schedule: Schedule;
  readonly validBatches: TokenBatch[];
  private trainStep: TrainStep;

  constructor(
    public model: TokenFormer,
    readonly tokenizer: Tokenizer,
    readonly tokenizerJson: string,
    private readonly sampler: GptSampler,
    valid: Int32Array,
    readonly state: RunState,
  ) {
    const s = state.settings;
    this.schedule = learningRateSchedule({ maxLr: s.lr, minLr: s.lr / 10, warmupSteps: Math.max(1, Math.ceil(s.steps / 100)), decaySteps: s.steps, style: 'cosine' });
    this.trainStep = new TrainStep(model, { weightDecay: 0.1, clip: 1, beta1: 0.9, beta2: 0.95, eps: 1e-8 });
    this.validBatches = Session.heldOutBatches(valid, s);
  }

  /** The fixed held-out batches: the first VALID_BATCHES of a sampler over the held-out tokens, seeded seed + 1. */
  static heldOutBatches(valid: Int32Array, s: TrainSettings): TokenBatch[] {
    const vs = new GptSampler(documentsFromArrays([valid]), { seqLength: s.seq, batchSize: s.batch, seed: s.seed + 1 });
    return Array.from({ length: Math.min(VALID_BATCHES, vs.numBatches) }, (_, b) => vs.batch(b));
  }

  static sampler(train: Int32Array, s: TrainSettings, cursor?: SamplerCursor): GptSampler {
    const docs = documentsFromArrays([train]);
    return cursor ? GptSampler.resume(docs, cursor) : new GptSampler(docs, { seqLength: s.seq, batchSize: s.batch, seed: s.seed, numSamples: s.steps * s.batch });
  }

  get done(): boolean {
    return this.state.step >= this.state.settings.steps;
  }

  /** Restores AdamW's moments and step (a resumed run). */
  loadOptimizer(load: (step: TrainStep) => void): void {
    load(this.trainStep);
  }

  /** One optimizer step on the next batch; its loss, learning rate, tokens and seconds. */
  async step(): Promise<{ step: number; loss: number; lr: number; gradNorm: number; skipped: boolean; tokens: number; seconds: number }> {
    const batch = this.sampler.next();
    if (batch === null) throw new Error(`the sampler ran out of data at step ${this.state.step + 1} (it was sized for ${this.state.settings.steps} steps)`);
    const step = this.state.step + 1;
    const lr = this.schedule(step);
    const t0 = performance.now();
    const r = await this.trainStep.run([batch], lr);
    const seconds = (performance.now() - t0) / 1000;
    this.state.step = step;
    this.state.losses.push(r.loss);
    this.state.lrs.push(lr);
    this.state.seconds += seconds;
    this.state.nonFiniteTotal = this.trainStep.nonFiniteTotal;
    this.state.samplerCursor = this.sampler.cursor();
    return { step, loss: r.loss, lr, gradNorm: r.gradNorm, skipped: r.skipped, tokens: batch.shape[0] * (batch.shape[1] - 1), seconds };
  }

  /** The held-out loss now, recorded at this step. */
  async validate(): Promise<number> {
    const { loss } = await validationLoss(this.model, this.validBatches);
    const at = this.state.valid.findIndex(([s]) => s === this.state.step);
    if (at >= 0) this.state.valid[at] = [this.state.step, loss];
    else this.state.valid.push([this.state.step, loss]);
    return loss;
  }

  private logits(): tf.Tensor {
    const b = this.validBatches[0]!;
    return tf.tidy(() => this.model.forward(tf.slice(tf.tensor2d(b.data, b.shape, 'int32'), [0, 0], [b.shape[0], b.shape[1] - 1]))); // [B, T, V]
  }

  /**
   * Grows the live model and its AdamW state between two steps (@tokenformer/growth: zero-keys,
   * τ pinned, so the function is unchanged), measuring the held-out loss and the logits around it.
   */
  async grow(add: GrowRecord['add']): Promise<GrowRecord> {
    const paramsBefore = this.model.countParams();
    const before = this.logits();
    const lossBefore = (await validationLoss(this.model, this.validBatches)).loss;
    const seed = this.state.settings.seed + this.state.step;
    this.trainStep = this.trainStep.grow((c, w, m) => grow(c, w, { add: { query: add.qkv, key: add.qkv, value: add.qkv, proj: add.proj, ffn: add.ffn }, init: 'zero-keys', tau: 'exact', seed }, m));
    this.model = this.trainStep.model;
    const after = this.logits();
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(after, before)))); // scalar
    const maxLogitChange = (await diff.data())[0]!;
    tf.dispose([before, after, diff]);
    const lossAfter = (await validationLoss(this.model, this.validBatches)).loss;
    const record: GrowRecord = { step: this.state.step, paramsBefore, paramsAfter: this.model.countParams(), lossBefore, lossAfter, maxLogitChange, add };
    this.state.grows.push(record);
    return record;
  }

  /** A sample from the current weights. */
  async sample(prompt: string, maxNewTokens: number, seed: number): Promise<string> {
    const g = await generateFromText(this.model, this.tokenizer, prompt, { maxNewTokens, temperature: 0.8, topP: 0.95, seed, stop: ['<|endoftext|>'] });
    return prompt + g.text;
  }

  /** The checkpoint directory's files: config.json, model.safetensors, tokenizer.json, and optionally the optimizer and run state. */
  async checkpointFiles(withTraining: boolean): Promise<Files> {
    const { config, weights } = await serializeCheckpoint(this.model);
    const files: Files = new Map([
      ['config.json', new TextEncoder().encode(config)],
      ['model.safetensors', weights],
      ['tokenizer.json', new TextEncoder().encode(this.tokenizerJson)],
    ]);
    if (withTraining) {
      const state = this.trainStep.state();
      try {
        files.set('optimizer.safetensors', await serializeOptimizerState(state));
      } finally {
        tf.dispose([...state.moments.values()]);
      }
      files.set(STATE_FILE, encodeJson(this.state));
    }
    return files;
  }

  dispose(): void {
    this.trainStep.dispose();
    this.model.dispose();
  }
}
