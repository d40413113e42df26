// One optimizer step of the official recipe: gradients of the mean next-token loss, averaged over
// micro-batches (gradient accumulation), a finite check, global-norm clipping, AdamW. A step whose
// loss or gradient norm is not finite changes nothing and is counted; too many in a row stop the
// run, so a NaN never reaches the weights (or a checkpoint).
import * as tf from '@tensorflow/tfjs-core';
import { requireGradients, TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { AdamW, type AdamWOptions, type AdamWParam, type OptimizerState } from './adamw.js';
import { clipByGlobalNorm } from './clip.js';
import { NonFiniteError, TrainerConfigError } from './errors.js';
import { checkTrainingFits } from './memory.js';

/** A batch of token ids, row-major [batch, T + 1] (as `@tokenformer/data`'s sampler gives). */
export interface TokenBatch {
  data: Int32Array;
  shape: [number, number];
}

export interface TrainStepOptions extends AdamWOptions {
  /** Decoupled weight decay of parameter tokens and embeddings (official 0.1); LayerNorm parameters get none. */
  weightDecay?: number;
  /** Global gradient-norm limit (official 1.0); 0 turns clipping off. */
  clip?: number;
  /** Non-finite steps in a row after which the run stops with NonFiniteError. Default 10. */
  maxNonFiniteSteps?: number;
}

export interface StepResult {
  /** Mean loss over the micro-batches (nats per token). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  lr: number;
  /** True when the loss or the gradient was not finite: nothing was updated. */
  skipped: boolean;
}

/**
 * What `TrainStep.grow` asks of a growth (for instance `@tokenformer/growth`'s `grow`, whose result has
 * this shape): the grown config and weights from the current ones, and the grown moments from the
 * current state's, all in the one layout (`model.exportWeights()`'s; OptimizerState's moments).
 */
export type GrowFunction = (
  config: TokenFormerConfig,
  weights: Map<string, tf.Tensor>,
  moments: Map<string, tf.Tensor>,
) => { config: TokenFormerConfig; weights: Map<string, tf.Tensor>; optimizerState?: Map<string, tf.Tensor> };

/** LayerNorm parameters are exempt from weight decay (megatron/model/utils.py). */
export function isNoDecay(name: string): boolean {
  return name.startsWith('finalNorm.');
}

export class TrainStep {
  readonly optimizer: AdamW;
  readonly clip: number;
  readonly maxNonFiniteSteps: number;
  /** Steps skipped for a non-finite loss or gradient: in a row, and in total. */
  nonFiniteInARow = 0;
  nonFiniteTotal = 0;
  private readonly nameOf = new Map<string, string>();
  /**
   * The parameter tokens the last growth added: by parameter name (the exchanged layout, [n, d]), the
   * first new row. Empty before any growth; `run`'s `newTokenLr` applies to these rows.
   */
  newRows = new Map<string, number>();
  /** The last micro-batch shape checked against the wasm heap. */
  private checkedShape = '';

  constructor(
    readonly model: TokenFormer,
    private readonly options: TrainStepOptions = {},
  ) {
    requireGradients();
    const wd = options.weightDecay ?? 0.1;
    if (!(wd >= 0)) throw new TrainerConfigError(`weightDecay = ${wd} must be >= 0`);
    this.clip = options.clip ?? 1.0;
    if (!(this.clip >= 0)) throw new TrainerConfigError(`clip = ${this.clip} must be >= 0 (0: off)`);
    this.maxNonFiniteSteps = options.maxNonFiniteSteps ?? 10;
    if (!Number.isInteger(this.maxNonFiniteSteps) || this.maxNonFiniteSteps < 1) {
      throw new TrainerConfigError(`maxNonFiniteSteps = ${this.maxNonFiniteSteps} must be an integer >= 1`);
    }
    const params: AdamWParam[] = [];
    for (const [name, { variable, transposed }] of model.namedVariables()) {
      params.push({ name, variable, weightDecay: isNoDecay(name) ? 0 : wd, transposed });
      this.nameOf.set(variable.name, name);
    }
    this.optimizer = new AdamW(params, options);
  }

  /**
   * One step over `microBatches` (their gradients averaged) at learning rate `lr`, the parameter
   * tokens the last growth added (`newRows`) at `newTokenLr` (default: `lr`).
   */
  async run(microBatches: TokenBatch[], lr: number, newTokenLr = lr): Promise<StepResult> {
    if (microBatches.length === 0) throw new TrainerConfigError('TrainStep.run: no micro-batches');
    const vars = this.optimizer.params.map((p) => p.variable);
    let sum: Map<string, tf.Tensor> | null = null;
    let lossSum = 0;
    for (const b of microBatches) {
      const shape = `${b.shape[0]}x${b.shape[1]}`;
      if (shape !== this.checkedShape) {
        checkTrainingFits(this.model.config, b.shape[0], b.shape[1] - 1); // before the heap overflows mid-step
        this.checkedShape = shape;
      }
      const ids = tf.tensor2d(b.data, b.shape, 'int32'); // [B, T+1]
      const { value, grads } = tf.variableGrads(() => this.model.loss(ids) as tf.Scalar, vars);
      ids.dispose();
      lossSum += (await value.data())[0]!;
      value.dispose();
      if (sum === null) {
        sum = new Map();
        for (const [k, g] of Object.entries(grads)) sum.set(this.nameOf.get(k)!, g);
      } else {
        for (const [k, g] of Object.entries(grads)) {
          const name = this.nameOf.get(k)!;
          const prev = sum.get(name)!;
          sum.set(name, tf.add(prev, g));
          prev.dispose();
          g.dispose();
        }
      }
    }
    const n = microBatches.length;
    let grads = sum!;
    if (n > 1) {
      const mean = new Map<string, tf.Tensor>();
      for (const [k, g] of grads) {
        mean.set(k, tf.div(g, n));
        g.dispose();
      }
      grads = mean;
    }
    const loss = lossSum / n;
    const clipped = await clipByGlobalNorm(grads, this.clip > 0 ? this.clip : Infinity);
    const skipped = !Number.isFinite(loss) || !Number.isFinite(clipped.norm);
    if (!skipped) this.optimizer.apply(clipped.grads, lr, this.newRows.size > 0 ? { start: this.newRows, lr: newTokenLr } : undefined);
    for (const g of new Set([...grads.values(), ...clipped.grads.values()])) g.dispose();
    if (skipped) {
      this.nonFiniteInARow++;
      this.nonFiniteTotal++;
      if (this.nonFiniteInARow >= this.maxNonFiniteSteps) {
        throw new NonFiniteError(
          `${this.nonFiniteInARow} steps in a row had a non-finite loss or gradient (last loss ${loss}, gradient norm ${clipped.norm}); stopping: lower the learning rate or check the data`,
        );
      }
    } else this.nonFiniteInARow = 0;
    return { loss, gradNorm: clipped.norm, lr, skipped };
  }

  /** The optimizer's state in the one layout (new tensors: the caller disposes the moments). */
  state(): OptimizerState {
    return this.optimizer.state();
  }

  /** Restores a state (from `state()`, a checkpoint's optimizer.safetensors, or a growth). */
  loadState(state: OptimizerState): void {
    this.optimizer.loadState(state);
  }

  /**
   * Grows the model being trained, its AdamW state with it, through `fn`, and returns the step that
   * trains the grown model on: same options, same optimizer step count, the non-finite count carried
   * on; its `newRows` are the rows the growth appended. This step and its model are disposed; what
   * `fn` returns is copied, then disposed.
   */
  grow(fn: GrowFunction): TrainStep {
    const weights = this.model.exportWeights();
    const state = this.state();
    const rowsBefore = new Map([...weights].map(([name, w]) => [name, w.shape[0]!]));
    let grown: ReturnType<GrowFunction>;
    try {
      grown = fn(this.model.config, weights, state.moments);
    } finally {
      tf.dispose([...weights.values(), ...state.moments.values()]);
    }
    const moments = grown.optimizerState;
    try {
      if (!moments) throw new TrainerConfigError('TrainStep.grow: the growth returned no optimizer state (pass it the moments)');
      const model = new TokenFormer(grown.config, { weights: grown.weights });
      const next = new TrainStep(model, this.options);
      try {
        next.loadState({ step: state.step, moments });
      } catch (e) {
        next.dispose();
        model.dispose();
        throw e;
      }
      for (const [name, w] of grown.weights) {
        const before = rowsBefore.get(name);
        if (before !== undefined && w.shape[0]! > before) next.newRows.set(name, before); // tokens appended
      }
      next.nonFiniteInARow = this.nonFiniteInARow;
      next.nonFiniteTotal = this.nonFiniteTotal;
      this.dispose();
      this.model.dispose();
      return next;
    } finally {
      tf.dispose([...grown.weights.values(), ...(moments?.values() ?? [])]);
    }
  }

  /** Frees the optimizer's moments (the model is the caller's). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
