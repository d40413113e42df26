// AdamW as the official recipe runs it (apex FusedAdam in AdamW mode = torch.optim.AdamW):
// decoupled weight decay, then the Adam moments with bias correction, in PyTorch's order of
// operations. Betas (0.9, 0.95), eps 1e-8, weight decay 0.1 on parameter tokens and embeddings and
// none on LayerNorm parameters. The moments live in non-trainable variables this class owns.
// Where the active backend has our ADAMW kernel (webgpu), each parameter's update is that one kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { ADAMW, hasKernel, type AdamWAttrs } from '@tokenformer/kernels';
import { TrainerConfigError } from './errors.js';

export interface AdamWParam {
  /** A stable name (the checkpoint name), used for the optimizer state. */
  name: string;
  variable: tf.Variable;
  /** Decoupled weight decay for this parameter (0 for LayerNorm weights and biases). */
  weightDecay: number;
  /**
   * True when the variable holds the transpose of the parameter's exchanged layout (TokenFormer's key
   * tokens: the variable is [d, n], checkpoints and growth use [n, d]). The state is given and taken
   * in the exchanged layout.
   */
  transposed?: boolean;
}

/**
 * AdamW's state, the one layout everything exchanges (TrainStep, growth, pruning, optimizer.safetensors):
 * the update count, and the moments by `<name>.exp_avg` / `<name>.exp_avg_sq`, each shaped like the
 * parameter `<name>` as the model exports it (`model.exportWeights()`: key tokens [n, d]).
 */
export interface OptimizerState {
  step: number;
  moments: Map<string, tf.Tensor>;
}

const SUFFIXES = ['exp_avg', 'exp_avg_sq'] as const;

/**
 * A learning rate of its own for the last rows of some parameters (in the exchanged layout: the
 * parameter tokens a growth added): `start` by parameter name, the first such row; `lr` theirs.
 */
export interface NewRowsLr {
  start: Map<string, number>;
  lr: number;
}

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Updates applied so far (the bias corrections use it). */
  step = 0;
  private readonly expAvg = new Map<string, tf.Variable>();
  private readonly expAvgSq = new Map<string, tf.Variable>();

  constructor(
    readonly params: AdamWParam[],
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.95;
    this.eps = options.eps ?? 1e-8;
    for (const [k, v] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      if (!(v >= 0 && v < 1)) throw new TrainerConfigError(`AdamW: ${k} = ${v} must be in [0, 1)`);
    }
    if (!(this.eps > 0)) throw new TrainerConfigError(`AdamW: eps = ${this.eps} must be > 0`);
    const names = new Set<string>();
    for (const p of params) {
      if (names.has(p.name)) throw new TrainerConfigError(`AdamW: parameter name ${JSON.stringify(p.name)} appears twice`);
      names.add(p.name);
      if (!(p.weightDecay >= 0)) throw new TrainerConfigError(`AdamW: weightDecay of ${p.name} = ${p.weightDecay} must be >= 0`);
      // tidy: tf.variable keeps its initial tensor's data but not the tensor, which would leak
      this.expAvg.set(p.name, tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)));
      this.expAvgSq.set(p.name, tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)));
    }
  }

  /**
   * One update with learning rate `lr`; `grads` by parameter name (the caller disposes them). With
   * `newRows` (and a learning rate of its own), the rows it names take that rate; the parameters it
   * does not name get exactly the bits they would without it.
   */
  apply(grads: Map<string, tf.Tensor>, lr: number, newRows?: NewRowsLr): void {
    this.step++;
    const { beta1, beta2, eps, step } = this;
    const stepSize = lr / (1 - beta1 ** step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
    const fused = hasKernel(ADAMW);
    const own = newRows && newRows.lr !== lr ? newRows : undefined;
    // one tidy per parameter: its temporaries go before the next one's are made (one tidy around
    // the loop held ~10 parameter-sized temporaries for every parameter, 4.7x the model's size)
    for (const p of this.params) {
      const g = grads.get(p.name);
      if (g === undefined) continue;
      const start = own?.start.get(p.name);
      if (start !== undefined) {
        tf.tidy(() => this.update(p, g, lr, bias2Sqrt, { lr: own!.lr, start }));
        continue;
      }
      if (fused && g.dtype === 'float32') {
        const attrs = { beta1, beta2, eps, decay: p.weightDecay > 0 ? 1 - lr * p.weightDecay : 1, stepSize, bias2Sqrt } satisfies AdamWAttrs as unknown as NamedAttrMap;
        tf.tidy(() => {
          const m = this.expAvg.get(p.name)!;
          const v = this.expAvgSq.get(p.name)!;
          const [pNew, mNew, vNew] = tf.engine().runKernel(ADAMW, { param: p.variable, grad: g, expAvg: m, expAvgSq: v }, attrs) as unknown as tf.Tensor[];
          m.assign(mNew!);
          v.assign(vNew!);
          p.variable.assign(pNew!);
        });
        continue;
      }
      tf.tidy(() => this.update(p, g, lr, bias2Sqrt));
    }
  }

  /**
   * PyTorch's AdamW update of one parameter at `lr`; with `own`, the rows from `own.start` on take
   * `own.lr` (both updates made with the same operations, then one chosen per row).
   */
  private update(p: AdamWParam, g: tf.Tensor, lr: number, bias2Sqrt: number, own?: { lr: number; start: number }): void {
    const { beta1, beta2, eps, step } = this;
    const m = this.expAvg.get(p.name)!;
    const v = this.expAvgSq.get(p.name)!;
    const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
    const denom = tf.add(tf.div(tf.sqrt(vNew), bias2Sqrt), eps);
    const ratio = tf.div(mNew, denom); // same shape as the parameter
    const updated = (rate: number): tf.Tensor => {
      const decayed = p.weightDecay > 0 ? tf.mul(p.variable, 1 - rate * p.weightDecay) : p.variable;
      return tf.sub(decayed, tf.mul(ratio, rate / (1 - beta1 ** step)));
    };
    m.assign(mNew);
    v.assign(vNew);
    p.variable.assign(own ? tf.where(this.rowMask(p, own.start), updated(own.lr), updated(lr)) : updated(lr));
  }

  /** True on the rows from `start` on of the exchanged layout ([n, 1], or [1, n] for a transposed variable). */
  private rowMask(p: AdamWParam, start: number): tf.Tensor {
    const n = p.variable.shape[p.transposed ? 1 : 0]!;
    const rows = tf.greaterEqual(tf.range(0, n, 1, 'int32'), start); // [n] bool
    const mask = p.transposed ? tf.reshape(rows, [1, n]) : tf.reshape(rows, [n, ...p.variable.shape.slice(1).map(() => 1)]);
    return tf.broadcastTo(mask, p.variable.shape); // where() takes a condition of the parameter's shape
  }

  /** The state (new tensors: the caller disposes the moments). */
  state(): OptimizerState {
    const moments = new Map<string, tf.Tensor>();
    for (const p of this.params) {
      for (const [suffix, source] of [
        ['exp_avg', this.expAvg],
        ['exp_avg_sq', this.expAvgSq],
      ] as const) {
        const v = source.get(p.name)!;
        moments.set(`${p.name}.${suffix}`, p.transposed ? tf.transpose(v) : v.clone()); // the exchanged layout
      }
    }
    return { step: this.step, moments };
  }

  /** Restores a state (e.g. from a checkpoint or a growth); every moment must be there with its shape. The caller keeps `state`. */
  loadState(state: OptimizerState): void {
    const { step, moments } = state;
    if (!Number.isInteger(step) || step < 0) throw new TrainerConfigError(`AdamW.loadState: step = ${step} must be an integer >= 0`);
    const known = new Set(this.params.flatMap((p) => SUFFIXES.map((s) => `${p.name}.${s}`)));
    for (const key of moments.keys()) if (!known.has(key)) throw new TrainerConfigError(`AdamW.loadState: ${key} is not a moment of a parameter of this optimizer`);
    for (const p of this.params) {
      for (const [suffix, target] of [
        ['exp_avg', this.expAvg],
        ['exp_avg_sq', this.expAvgSq],
      ] as const) {
        const key = `${p.name}.${suffix}`;
        const m = moments.get(key);
        if (m === undefined) throw new TrainerConfigError(`AdamW.loadState: ${key} is missing`);
        const v = target.get(p.name)!;
        const expected = p.transposed ? [...v.shape].reverse() : v.shape;
        if (m.shape.join(',') !== expected.join(',')) throw new TrainerConfigError(`AdamW.loadState: ${key} has shape [${m.shape}], the parameter [${expected}]`);
      }
    }
    for (const p of this.params) {
      for (const [suffix, target] of [
        ['exp_avg', this.expAvg],
        ['exp_avg_sq', this.expAvgSq],
      ] as const) {
        const m = moments.get(`${p.name}.${suffix}`)!;
        tf.tidy(() => target.get(p.name)!.assign(p.transposed ? tf.transpose(m) : m)); // the variable's layout
      }
    }
    this.step = step;
  }

  dispose(): void {
    for (const v of [...this.expAvg.values(), ...this.expAvgSq.values()]) v.dispose();
    this.expAvg.clear();
    this.expAvgSq.clear();
  }
}
