// The gradients of our kernels that are differentiated through tfjs's registry (registerGradient is
// by kernel name, for every backend). L2_NORM_GELU and LAYER_NORM have none here: their ops wrap
// them in a custom gradient that runs their *_GRAD kernel with what the forward pass saved.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { ROTARY, SPLIT_V, TRANSPOSE_2D, type RotaryAttrs, type SplitVAttrs } from './kernelNames.js';

/** (xᵀ)' = dyᵀ. */
const transpose2dGrad: GradConfig = {
  kernelName: TRANSPOSE_2D,
  gradFunc: (dy) => ({ x: () => tf.engine().runKernel(TRANSPOSE_2D, { x: dy as Tensor }) as Tensor }),
};

/** With emb = cat(freqs, freqs), the rotation's transpose is the rotation by the opposite angle. */
const rotaryGrad: GradConfig = {
  kernelName: ROTARY,
  gradFunc: (dy, _saved, attrs: NamedAttrMap) => {
    const { tables, offset, sign } = attrs as unknown as RotaryAttrs;
    const back: RotaryAttrs = { tables, offset, sign: -sign };
    return { x: () => tf.engine().runKernel(ROTARY, { x: dy as Tensor }, back as unknown as NamedAttrMap) as Tensor };
  },
};

/** The pieces' gradients joined back along the split's axis. */
const splitVGrad: GradConfig = {
  kernelName: SPLIT_V,
  gradFunc: (dy, _saved, attrs: NamedAttrMap) => ({ x: () => tf.concat(Array.isArray(dy) ? dy : [dy], (attrs as unknown as SplitVAttrs).axis) }),
};

const GRADIENTS = new Map<string, GradConfig>([transpose2dGrad, rotaryGrad, splitVGrad].map((g) => [g.kernelName, g]));

/** Registers the gradient of each of these kernels that has one here (once; tfjs keeps it for every backend). */
export function registerGradientsOf(kernelNames: readonly string[]): void {
  for (const name of kernelNames) {
    const config = GRADIENTS.get(name);
    if (config && !tf.getGradient(name)) tf.registerGradient(config);
  }
}
