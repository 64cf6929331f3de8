import { compareOffsets } from './offsets';

/**
 * Position of a record in the deterministic processing order: event time, then the input's rank
 * in the job (so that, at equal time, a profile version is applied before the transaction that
 * must see it), then partition, then offset. Offsets are canonical decimal text.
 */
export interface EventPosition {
  readonly eventTime: number;
  readonly rank: number;
  readonly partition: number;
  readonly offset: string;
}

export function compareEventPositions(a: EventPosition, b: EventPosition): number {
  return (
    a.eventTime - b.eventTime || a.rank - b.rank || a.partition - b.partition || compareOffsets(a.offset, b.offset)
  );
}
