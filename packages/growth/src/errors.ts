/** A growth request that cannot apply to the given config, weights or optimizer state. */
export class GrowthError extends Error {
  override name = 'GrowthError';
}
