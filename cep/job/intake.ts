import { canonicalOffset } from '../time/offsets';
import type { WatermarkTracker } from '../time/watermark-tracker';
import { DeadLetterReason, type InputSpec, type RejectedRecord, type SourceRecord } from './types';

export interface IntakeBounds {
  /** See JobConfig.aheadBoundMs. */
  readonly aheadBoundMs: number;
  /** See JobConfig.maxFutureSkewMs. */
  readonly maxFutureSkewMs: number;
}

/**
 * Checks a consumed record before it enters the task: that it can be keyed and placed in event
 * time, or why not. Total: it never throws, whatever the record holds. An accepted record's input
 * rank and canonical offset are left in `rank` and `offset` until the next call, rather than
 * returned in a new object per record, and `held` says whether it is too far ahead of its
 * partition to move the partition's watermark.
 */
export class Intake {
  rank = 0;
  offset = '';
  held = false;
  readonly #ranks: ReadonlyMap<string, number>;
  readonly #partition: number;
  readonly #watermarks: WatermarkTracker;
  readonly #bounds: IntakeBounds;

  constructor(inputs: readonly InputSpec[], partition: number, watermarks: WatermarkTracker, bounds: IntakeBounds) {
    this.#ranks = new Map(inputs.map((input, rank) => [input.topic, rank]));
    this.#partition = partition;
    this.#watermarks = watermarks;
    this.#bounds = bounds;
  }

  /** Undefined when the record is accepted: its key is a non-empty string, its event time a safe integer and its value an object. */
  admit(record: SourceRecord): RejectedRecord | undefined {
    const rank = this.#ranks.get(record.topic);
    if (rank === undefined) return reject(record, DeadLetterReason.UnknownInput, `topic "${String(record.topic)}" is not an input of this job`);
    if (record.partition !== this.#partition) {
      return reject(record, DeadLetterReason.WrongPartition, `partition ${String(record.partition)} reached the task of partition ${this.#partition}`);
    }
    const offset = canonicalOffset(record.offset);
    if (offset === undefined) return reject(record, DeadLetterReason.InvalidOffset, `offset ${String(record.offset)} is not a non-negative int64`);
    const { key, eventTime } = record;
    if (typeof key !== 'string' || key.length === 0) return reject(record, DeadLetterReason.MissingKey, 'record has no account key');
    if (typeof eventTime !== 'number' || !Number.isSafeInteger(eventTime)) {
      return reject(record, DeadLetterReason.InvalidEventTime, `event time ${String(eventTime)} is not an integer epoch-millisecond time`);
    }
    if (typeof record.value !== 'object' || record.value === null) return reject(record, DeadLetterReason.MissingValue, 'record has no value (a tombstone?)');
    // One wrong clock would drag the partition's watermark ahead and make every later record late.
    // The reference is the partition's own newest accepted time, fixed by its log order and
    // restored with the watermarks, so every verdict is the same on a replay; a partition's first
    // record has none.
    // A record that completes a run of records ahead has moved the partition's time to the run's
    // earliest already, so it is held too: its own time, perhaps the stray one, moves nothing.
    const newest = this.#watermarks.maxEventTime(rank);
    const lead = eventTime - newest;
    const held = newest !== -Infinity && lead > this.#bounds.aheadBoundMs;
    if (held && !this.#watermarks.aheadRun(rank, eventTime) && lead > this.#bounds.maxFutureSkewMs) {
      return reject(record, DeadLetterReason.EventTimeTooFarAhead, `event time ${eventTime} is ${lead} ms ahead of the newest event time ${newest} of its partition (limit ${this.#bounds.maxFutureSkewMs} ms)`);
    }
    this.rank = rank;
    this.offset = offset;
    this.held = held;
    return undefined;
  }
}

function reject(record: SourceRecord, reason: DeadLetterReason, detail: string): RejectedRecord {
  return { record, reason, detail };
}
