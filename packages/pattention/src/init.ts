// Initialisation of parameter tokens as the official GPT-NeoX configs do it
// (`init_method: normal`, `output_layer_init_method: wang_init`).

/** Standard deviation of key parameter tokens: `init_method_std`, 0.02 in every released config. */
export const KEY_INIT_STD = 0.02;

/**
 * wang_init's standard deviation for value parameter tokens: 2 / (numLayers · √hiddenSize).
 * Throws nothing; callers validate their sizes.
 */
export function wangInitStd(numLayers: number, hiddenSize: number): number {
  return 2 / (numLayers * Math.sqrt(hiddenSize));
}
