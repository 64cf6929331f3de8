import type { KeyState } from '../state/keyed-state';
import { canonicalOffset } from '../time/offsets';
import type { WatermarkTracker } from '../time/watermark-tracker';
import type { HeldRecord } from './pending-records';
import { DeadLetterReason, type InputSpec, type InputValue, type RejectedRecord, type SourceRecord } from './types';

/**
 * Turns a consumed record into a pending record bound to its key's state (opened with `open`),
 * or says why it cannot be keyed or placed in event time. Total: it never throws, whatever the
 * record holds.
 */
export function admit(
  record: SourceRecord,
  ranks: ReadonlyMap<string, number>,
  inputs: readonly InputSpec[],
  partition: number,
  guard: FutureGuard,
  open: (key: string) => KeyState,
): HeldRecord | RejectedRecord {
  const rank = ranks.get(record.topic);
  if (rank === undefined) return reject(record, DeadLetterReason.UnknownInput, `topic "${String(record.topic)}" is not an input of this job`);
  if (record.partition !== partition) {
    return reject(record, DeadLetterReason.WrongPartition, `partition ${String(record.partition)} reached the task of partition ${partition}`);
  }
  const offset = canonicalOffset(record.offset);
  if (offset === undefined) return reject(record, DeadLetterReason.InvalidOffset, `offset ${String(record.offset)} is not a non-negative int64`);
  const { key, eventTime } = record;
  if (typeof key !== 'string' || key.length === 0) return reject(record, DeadLetterReason.MissingKey, 'record has no account key');
  if (typeof eventTime !== 'number' || !Number.isSafeInteger(eventTime)) {
    return reject(record, DeadLetterReason.InvalidEventTime, `event time ${String(eventTime)} is not an integer epoch-millisecond time`);
  }
  if (typeof record.value !== 'object' || record.value === null) return reject(record, DeadLetterReason.MissingValue, 'record has no value (a tombstone?)');
  const newest = guard.watermarks.maxEventTime(rank);
  // One absurd time would drag the partition's watermark years ahead and make every later record
  // late. The reference is the partition's own newest time, fixed by its log order and restored
  // with the watermarks, so the verdict is deterministic; a partition's first record has none.
  if (newest !== -Infinity && eventTime - newest > guard.maxFutureSkewMs) {
    return reject(record, DeadLetterReason.EventTimeTooFarAhead, `event time ${eventTime} is ${eventTime - newest} ms ahead of the newest event time ${newest} of its partition (limit ${guard.maxFutureSkewMs} ms)`);
  }
  return { key, topic: record.topic, partition, offset, eventTime, rank, input: inputs[rank]!, value: record.value as InputValue, state: open(key) };
}

/** The partition watermarks and how far ahead of its partition's newest record a record may be. */
export interface FutureGuard {
  readonly watermarks: WatermarkTracker;
  readonly maxFutureSkewMs: number;
}

export function isRejected(result: HeldRecord | RejectedRecord): result is RejectedRecord {
  return 'reason' in result;
}

function reject(record: SourceRecord, reason: DeadLetterReason, detail: string): RejectedRecord {
  return { record, reason, detail };
}
