// A kept transpose of a variable, remade only when the variable's data changes (an assign() gives it
// new data). The model keeps one of its word embeddings for decoding where the backend's transposeB
// matMul is slow: logits of a few rows then multiply by [C, V] as a plain 2-D matMul.
import * as tf from '@tensorflow/tfjs-core';
import type { DataId, Tensor2D } from '@tensorflow/tfjs-core';
import { transpose2d } from '@tokenformer/pattention';

export class TransposedCopy {
  private copy: { source: DataId; transposed: Tensor2D } | undefined;

  /** xᵀ [C, R] of x [R, C], owned by this object (do not dispose it): made on first use, kept while x's data stays the same. */
  of(x: Tensor2D): Tensor2D {
    if (this.copy?.source !== x.dataId) {
      this.copy?.transposed.dispose();
      this.copy = { source: x.dataId, transposed: tf.keep(transpose2d(x)) }; // [C, R]
    }
    return this.copy.transposed;
  }

  dispose(): void {
    this.copy?.transposed.dispose();
    this.copy = undefined;
  }
}
