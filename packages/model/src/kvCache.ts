// The per-layer key/value cache of incremental decoding (the official `layer_past`).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

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

  dispose(): void {
    for (const entry of this.layers) {
      entry?.key.dispose();
      entry?.value.dispose();
    }
    this.layers.fill(undefined);
  }
}
