// One error type for both log implementations, so service code branches on `code` and `retriable`
// and never on which log it runs against or on a client library's message text.
import { PeregrineError } from '../errors';

export const LogErrorCode = {
  /** A newer producer with the same transactionalId exists: this one must stop and be closed. */
  Fenced: 'FENCED',
  /** The group rebalanced under the caller; uncommitted work is redelivered to the partition's new owner. */
  RebalanceInProgress: 'REBALANCE_IN_PROGRESS',
  UnknownTopic: 'UNKNOWN_TOPIC',
  /** The log refused a record, e.g. one without a key on a compacted topic. */
  InvalidRecord: 'INVALID_RECORD',
  /** A record larger than the topic's `max.message.bytes`. */
  RecordTooLarge: 'RECORD_TOO_LARGE',
  /** The in-memory log has one member per group; a second member cannot join while the first runs. */
  GroupMemberExists: 'GROUP_MEMBER_EXISTS',
  /** A call out of order: a second open transaction, a transaction used after it ended, pause before run. */
  InvalidState: 'INVALID_STATE',
  /** Anything else the client reported: connection loss, timeouts, broker errors. */
  Broker: 'BROKER',
} as const;

export type LogErrorCode = (typeof LogErrorCode)[keyof typeof LogErrorCode];

export class LogError extends PeregrineError<LogErrorCode> {
  /** True when the same call may succeed later, without any change by the caller. */
  readonly retriable: boolean;

  constructor(code: LogErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

export function isLogError(error: unknown, code?: LogErrorCode): error is LogError {
  return error instanceof LogError && (code === undefined || error.code === code);
}

export function isFenced(error: unknown): boolean {
  return isLogError(error, LogErrorCode.Fenced);
}

export function isRetriable(error: unknown): boolean {
  return isLogError(error) && error.retriable;
}

/** Handlers may throw anything; the crash callback always gets an Error. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
