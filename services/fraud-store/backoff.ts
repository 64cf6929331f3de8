// Bounded exponential backoff between attempts to reach an unavailable dependency: quick to retry a
// blip, never more than `maxMs` apart, so consumption resumes soon after the dependency returns.

export interface BackoffOptions {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 30_000 };

/** The delay before retry number `attempt` (1-based): initialMs, doubling each time, capped at maxMs. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  // The exponent is capped too, so a long outage cannot overflow to Infinity.
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
}
