/** Base class of every error this package throws on purpose. */
export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

/**
 * A tokenizer file (tokenizer.json, vocab.json, merges.txt) that is not well formed: names the
 * field (a JSON path such as `model.merges[12]`) and the value found.
 */
export class MalformedTokenizerError extends TokenizerError {
  override name = 'MalformedTokenizerError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${field}: expected ${expected}, got ${describe(value)}`);
  }
}

/** A well-formed file that asks for a component or option this package does not implement. */
export class UnsupportedFeatureError extends TokenizerError {
  override name = 'UnsupportedFeatureError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    detail = 'is not implemented by @tokenformer/tokenizer',
  ) {
    super(`${field} = ${describe(value)} ${detail}`);
  }
}

/** A bad argument to an API call (an id out of range, a bad trainer option): names the value and the limit. */
export class TokenizerInputError extends TokenizerError {
  override name = 'TokenizerInputError';
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return 'nothing (missing)';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
