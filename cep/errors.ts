/**
 * One error base for the whole engine. Callers branch on `code` (never on `name` or message
 * text), so a code is part of the public contract: add new ones, never rename them.
 */
export const CepErrorCode = {
  /** A pattern or rule was rejected when it was built or compiled. */
  MalformedPattern: 'MALFORMED_PATTERN',
  /** A state snapshot does not fit the automaton it is restored into. */
  InvalidSnapshot: 'INVALID_SNAPSHOT',
  /** An after-match skip strategy configured to fail found no event of its target stage. */
  SkipTargetMissing: 'SKIP_TARGET_MISSING',
  /** A job definition was rejected by defineJob (bad input list, bound or window). */
  InvalidJobConfig: 'INVALID_JOB_CONFIG',
  /** Keyed-state or task snapshot bytes are truncated, malformed or of an unknown format version. */
  CorruptState: 'CORRUPT_STATE',
} as const;

export type CepErrorCode = (typeof CepErrorCode)[keyof typeof CepErrorCode];

/** The optional parts of a {@link CepError}. */
export interface CepErrorOptions {
  /** Whether repeating the same call may succeed; false when omitted. */
  readonly retriable?: boolean;
  /** The underlying error, kept as the standard `Error.cause`. */
  readonly cause?: unknown;
  /** Structured details for logs and callers, such as the offending stage, rule id or state; `{}` when omitted. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * The error every engine failure is thrown as (or a subclass, e.g. `MalformedPatternError`). Branch on
 * {@link CepError.code}, not on the class name or the message text.
 */
export class CepError extends Error {
  /** What went wrong, from {@link CepErrorCode}; stable across releases. */
  readonly code: CepErrorCode;
  /** True when repeating the same call may succeed; engine errors are deterministic, so rarely. */
  readonly retriable: boolean;
  /** Structured details of the failure (e.g. `stage`, `ruleId`); empty when there are none. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: CepErrorCode, message: string, options: CepErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

/** Whether `error` is a {@link CepError}, and, when `code` is given, one with that code. */
export function isCepError(error: unknown, code?: CepErrorCode): error is CepError {
  return error instanceof CepError && (code === undefined || error.code === code);
}

/** Whether `error` is a {@link CepError} marked retriable; false for any other value. */
export function isRetriable(error: unknown): boolean {
  return error instanceof CepError && error.retriable;
}

/** A thrown value's name and message on one line, for a dead letter's detail or a log. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
