// Pattention as a tfjs-layers layer: usable in tf.sequential / tf.model, trained by model.fit,
// saved and loaded by tfjs-layers' own IO (weights in the official layouts: keys [n, d1], values
// [n, d2]). The arithmetic is the `pattention` op of this package.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { PattentionConfigError, PattentionShapeError } from '../errors.js';
import { KEY_INIT_STD, wangInitStd } from '../init.js';
import type { PattentionArgs } from '../layer.js';
import { NORM_ACTIVATION_TYPES, type NormActivationType } from '../norms.js';
import { pattention } from '../pattention.js';

/** tfjs-layers' own layer options (name, trainable, inputShape, batchInputShape, dtype, ...). */
type BaseLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

/** tfjs-layers' own options, and the Pattention's (documented on PattentionArgs); d1 is the input's last dimension. */
export interface PattentionLayerArgs
  extends BaseLayerArgs,
    Pick<PattentionArgs, 'outputChannels' | 'paramTokenNum' | 'normActivationType' | 'tau' | 'keyInitStd' | 'valueInitStd' | 'seed'> {}

export class PattentionLayer extends layers.Layer {
  /** The name tfjs-layers serializes the class under. */
  static className = 'TokenFormerPattention';
  readonly outputChannels: number;
  readonly paramTokenNum: number;
  readonly normActivationType: NormActivationType;
  readonly tau: number | null;
  readonly keyInitStd: number | undefined;
  readonly valueInitStd: number | undefined;
  readonly seed: number | undefined;
  /** Key tokens [n, d1] and value tokens [n, d2], made by build(). */
  keyParamTokens: LayerVariable | null = null;
  valueParamTokens: LayerVariable | null = null;

  constructor(args: PattentionLayerArgs) {
    super(args);
    for (const [field, v] of [['outputChannels', args.outputChannels], ['paramTokenNum', args.paramTokenNum]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new PattentionConfigError(`PattentionLayer: ${field} must be an integer >= 1, got ${v}`);
    }
    const norm = args.normActivationType ?? 'l2_norm_gelu';
    if (!NORM_ACTIVATION_TYPES.includes(norm)) throw new PattentionConfigError(`PattentionLayer: normActivationType ${JSON.stringify(norm)} is not one of ${NORM_ACTIVATION_TYPES.join(', ')}`);
    for (const [field, v] of [['tau', args.tau], ['keyInitStd', args.keyInitStd], ['valueInitStd', args.valueInitStd]] as const) {
      if (v !== undefined && v !== null && !(v > 0 && Number.isFinite(v))) throw new PattentionConfigError(`PattentionLayer: ${field} must be a finite number > 0, got ${v}`);
    }
    this.outputChannels = args.outputChannels;
    this.paramTokenNum = args.paramTokenNum;
    this.normActivationType = norm;
    this.tau = args.tau ?? null;
    this.keyInitStd = args.keyInitStd;
    this.valueInitStd = args.valueInitStd;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const d1 = shape[shape.length - 1];
    if (typeof d1 !== 'number' || d1 < 1) throw new PattentionShapeError(`PattentionLayer: the input's last dimension must be known, got shape [${shape}]`);
    const normal = (stddev: number, seed: number | undefined) => initializers.randomNormal({ mean: 0, stddev, ...(seed === undefined ? {} : { seed }) });
    const n = this.paramTokenNum;
    this.keyParamTokens = this.addWeight('keyParamTokens', [n, d1], 'float32', normal(this.keyInitStd ?? KEY_INIT_STD, this.seed));
    this.valueParamTokens = this.addWeight('valueParamTokens', [n, this.outputChannels], 'float32', normal(this.valueInitStd ?? wangInitStd(1, d1), this.seed === undefined ? undefined : this.seed + 1));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.outputChannels];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return pattention(x, this.keyParamTokens!.read() as Tensor2D, this.valueParamTokens!.read() as Tensor2D, { normActivationType: this.normActivationType, tau: this.tau }); // [..., d2]
  }

  /** On a tensor, a tensor ([..., d1] → [..., d2]); on a symbolic tensor (model building), a symbolic tensor. */
  override apply(inputs: Tensor, kwargs?: Kwargs): Tensor;
  override apply(inputs: SymbolicTensor, kwargs?: Kwargs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], kwargs?: Kwargs): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], kwargs?: Kwargs): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    return super.apply(inputs, kwargs);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const own: tf.serialization.ConfigDict = { outputChannels: this.outputChannels, paramTokenNum: this.paramTokenNum, normActivationType: this.normActivationType, tau: this.tau };
    if (this.keyInitStd !== undefined) own.keyInitStd = this.keyInitStd;
    if (this.valueInitStd !== undefined) own.valueInitStd = this.valueInitStd;
    if (this.seed !== undefined) own.seed = this.seed;
    return { ...super.getConfig(), ...own };
  }
}

tf.serialization.registerClass(PattentionLayer);
