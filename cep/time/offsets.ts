/** A Kafka offset as the clients hand it over: int64, so bigint or decimal text, never a number. */
export type Offset = bigint | string;

const INT64_MAX = '9223372036854775807';
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * The canonical decimal text of a non-negative int64 offset, or undefined when it is not one.
 * Canonical text (no sign, no leading zeros) orders by (length, then characters), so comparing
 * two offsets never needs a bigint allocation on the hot path.
 */
export function canonicalOffset(offset: unknown): string | undefined {
  if (typeof offset === 'bigint') return offset >= 0n && offset <= BigInt(INT64_MAX) ? offset.toString() : undefined;
  if (typeof offset !== 'string' || !DECIMAL.test(offset)) return undefined;
  if (offset.length > INT64_MAX.length || (offset.length === INT64_MAX.length && offset > INT64_MAX)) return undefined;
  return offset;
}

/** Orders canonical offsets numerically. */
export function compareOffsets(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
