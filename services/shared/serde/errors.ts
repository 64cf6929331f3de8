import { PeregrineError } from '../errors';

/** Every way a Kafka record can fail to decode; a consumer maps each to a defined outcome. */
export const DecodeErrorCode = {
  /** First byte is not 0: not Confluent-framed Avro at all. */
  BAD_MAGIC_BYTE: 'BAD_MAGIC_BYTE',
  /** Fewer bytes than the 5-byte header, or a body shorter than its schema needs. */
  TRUNCATED: 'TRUNCATED',
  /** The registry answered that it has no schema with the record's id. */
  UNKNOWN_SCHEMA_ID: 'UNKNOWN_SCHEMA_ID',
  /** The writer schema is not Avro, or the reader schema cannot resolve it. */
  INCOMPATIBLE_SCHEMA: 'INCOMPATIBLE_SCHEMA',
  /** Valid Avro of another record type than the reader's (an AuthEvent where Transactions belong). */
  WRONG_RECORD_TYPE: 'WRONG_RECORD_TYPE',
  /** A string holds bytes that are not UTF-8: read, they would silently become U+FFFD. */
  INVALID_UTF8: 'INVALID_UTF8',
  /** The body does not parse against its writer schema: bad index, trailing bytes, garbage. */
  INVALID_BODY: 'INVALID_BODY',
  /** The registry could not be asked (network, 5xx). The record is fine: retry it, never dead-letter it. */
  REGISTRY_UNAVAILABLE: 'REGISTRY_UNAVAILABLE',
} as const;
export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/** Why one record could not be decoded; `message` is a single line, fit for a dead-letter reason. */
export class DecodeError extends PeregrineError<DecodeErrorCode> {
  readonly schemaId: number | undefined;

  constructor(code: DecodeErrorCode, message: string, options: { schemaId?: number; cause?: unknown } = {}) {
    super(code, oneLine(message), { cause: options.cause });
    this.schemaId = options.schemaId;
  }

  get retriable(): boolean {
    return this.code === DecodeErrorCode.REGISTRY_UNAVAILABLE;
  }
}

/** The outcome of decoding one record: decode never throws, so every failure arrives here. */
export type DecodeResult<T = unknown> =
  | { readonly ok: true; readonly value: T; readonly schemaId: number }
  | { readonly ok: false; readonly error: DecodeError };

export function decodeFailure(error: DecodeError): DecodeResult<never> {
  return { ok: false, error };
}

/** A value does not match the schema it is encoded with: a bug in the producer, so it is thrown. */
export class EncodeError extends PeregrineError<'INVALID_VALUE'> {
  readonly retriable = false;

  constructor(
    readonly schemaId: number,
    /** Dotted paths of the offending fields (array indices and map keys included), '' for the root. */
    readonly paths: readonly string[],
    message: string,
    cause: unknown,
  ) {
    super('INVALID_VALUE', oneLine(message), { cause });
  }
}

/** The message of any thrown value, on one line (avsc and HTTP clients sometimes embed newlines). */
export function describeCause(cause: unknown): string {
  return oneLine(cause instanceof Error ? cause.message : String(cause));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
