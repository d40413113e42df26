/** Base class of every error this package throws on purpose. */
export class TrainerError extends Error {
  override name = 'TrainerError';
}

/** A bad option or argument: names the value and the limit. */
export class TrainerConfigError extends TrainerError {
  override name = 'TrainerConfigError';
}

/** Too many steps in a row (or in total) had a non-finite loss or gradient. */
export class NonFiniteError extends TrainerError {
  override name = 'NonFiniteError';
}
