/** Base class of every error this package throws. */
export class EvaluatorError extends Error {
  override name = 'EvaluatorError';
}

/** A task data file that is malformed or does not match its task; the message names the file, line and field. */
export class TaskDataError extends EvaluatorError {
  override name = 'TaskDataError';
}
