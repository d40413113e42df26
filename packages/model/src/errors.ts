/** Base class of every error this package throws. */
export class TokenFormerError extends Error {
  override name = 'TokenFormerError';
}

/** A config value is missing, unknown or out of range; the message names the field, value and limit. */
export class ConfigError extends TokenFormerError {
  override name = 'ConfigError';
}

/** Input ids or tensors of the wrong shape, dtype or range. */
export class InputError extends TokenFormerError {
  override name = 'InputError';
}

/** A safetensors file that is malformed, truncated or inconsistent. */
export class SafetensorsError extends TokenFormerError {
  override name = 'SafetensorsError';
}

/** A checkpoint whose files disagree with each other or with the config. */
export class CheckpointError extends TokenFormerError {
  override name = 'CheckpointError';
}

/** Generation options out of range. */
export class GenerationError extends TokenFormerError {
  override name = 'GenerationError';
}

/** A PyTorch checkpoint file (zip, legacy pickle, or its pickle program) that is malformed, truncated or not a plain state dict. */
/** A read outside a byte source (a truncated file, a short HTTP range). */
export class ByteSourceError extends TokenFormerError {
  override name = 'ByteSourceError';
}

export class TorchFileError extends TokenFormerError {
  override name = 'TorchFileError';
}
