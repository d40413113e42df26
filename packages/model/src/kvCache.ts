// The per-layer key/value cache of incremental decoding (the official `layer_past`).
import * as tf from '@tensorflow/tfjs-core';
import type { DataId, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { transpose2d } from '@tokenformer/pattention';

/** Keys and values of the positions seen so far, after rotary: each [B, H, S, hd]. */
export interface LayerCache {
  key: Tensor;
  value: Tensor;
}

/**
 * One entry per layer, filled by forward({ cache }). The cache owns its tensors: forward
 * replaces (and disposes) them; call dispose() when done.
 */
export class KVCache {
  readonly layers: (LayerCache | undefined)[];
  private unembedding: { source: DataId; transposed: Tensor2D } | undefined;

  constructor(numLayers: number) {
    this.layers = new Array<LayerCache | undefined>(numLayers).fill(undefined);
  }

  /** Number of positions cached (0 when empty). */
  get length(): number {
    return this.layers[0]?.key.shape[2] ?? 0;
  }

  /** Stores layer i's new keys/values (kept out of any tidy), disposing the old ones. */
  update(i: number, key: Tensor, value: Tensor): void {
    const old = this.layers[i];
    this.layers[i] = { key: tf.keep(key), value: tf.keep(value) };
    if (old) {
      old.key.dispose();
      old.value.dispose();
    }
  }

  /**
   * The word embeddings transposed, [C, V], made on first use and kept while the embedding's data
   * stays the same (an assign() makes a new copy): on wasm, logits of a few rows multiply by it
   * as a plain 2-D matMul, ~20x faster than the transposeB flag over the whole vocabulary.
   */
  embeddingsT(wordEmbeddings: Tensor2D): Tensor2D {
    if (this.unembedding?.source !== wordEmbeddings.dataId) {
      this.unembedding?.transposed.dispose();
      this.unembedding = { source: wordEmbeddings.dataId, transposed: tf.keep(transpose2d(wordEmbeddings)) }; // [C, V]
    }
    return this.unembedding.transposed;
  }

  dispose(): void {
    this.unembedding?.transposed.dispose();
    this.unembedding = undefined;
    for (const entry of this.layers) {
      entry?.key.dispose();
      entry?.value.dispose();
    }
    this.layers.fill(undefined);
  }
}
