/** Base class of every error this package throws on purpose. */
export class DataError extends Error {
  override name = 'DataError';
}

/** An indexed dataset (.idx / .bin) that is not what the format says: names the file and the field. */
export class DatasetFormatError extends DataError {
  override name = 'DatasetFormatError';
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
  }
}

/** A corpus line that cannot be read (bad JSON, missing field, invalid UTF-8), with its line number. */
export class MalformedInputError extends DataError {
  override name = 'MalformedInputError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: MalformedReason,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

export type MalformedReason = 'badJson' | 'missingField' | 'invalidUtf8';

/** A bad argument: names the value and the limit. */
export class DataInputError extends DataError {
  override name = 'DataInputError';
}

/** A compressed file that is corrupt, truncated, or would decompress past the limit: names the file and the offset. */
export class CompressedInputError extends DataError {
  override name = 'CompressedInputError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}
