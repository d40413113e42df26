// @tokenformer/pattention/layers: Pattention as a tfjs-layers layer (a peer of this subpath only).
// Importing it registers the class with tfjs's serialization, so saved models load.
import type { PattentionLayerArgs } from './pattentionLayer.js';
import { PattentionLayer } from './pattentionLayer.js';

export { PattentionLayer, type PattentionLayerArgs };

/** `new PattentionLayer(args)`, in the style of `tf.layers.dense(args)`. */
export function pattentionLayer(args: PattentionLayerArgs): PattentionLayer {
  return new PattentionLayer(args);
}
