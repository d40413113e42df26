// Errors our kernels throw on bad input (the ops that run them check most input first).

/** An input a kernel cannot take, with the value and the limit (e.g. an id outside the table). */
export class KernelInputError extends RangeError {
  override name = 'KernelInputError';
}
