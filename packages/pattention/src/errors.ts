/** Base class of every error this package throws. */
export class PattentionError extends Error {
  override name = 'PattentionError';
}

/** A configuration value is out of range; the message names the field, the value and the limit. */
export class PattentionConfigError extends PattentionError {
  override name = 'PattentionConfigError';
}

/** A tensor has the wrong rank, shape or dtype. */
export class PattentionShapeError extends PattentionError {
  override name = 'PattentionShapeError';
}
