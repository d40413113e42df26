// tf.customGrad with typed arguments (its own signature takes `...Array<Tensor | GradSaveFunc>`).
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor } from '@tensorflow/tfjs-core';

export interface CustomGradResult {
  value: Tensor;
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/** Wraps `f(...inputs, save)` as a differentiable op of its tensor inputs. */
export function typedCustomGrad<A extends Tensor[]>(f: (...args: [...A, GradSaveFunc]) => CustomGradResult): (...inputs: A) => Tensor {
  const op = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);
  return op as unknown as (...inputs: A) => Tensor;
}
