import { describeError } from '../errors';
import { ExpirySchedule } from '../state/expiry-schedule';
import { type ChangelogRecord, KeyedStateStore } from '../state/keyed-state';
import { type InputPartition, WatermarkTracker } from '../time/watermark-tracker';
import { Intake } from './intake';
import type { JobSettings } from './job-settings';
import { KeyedPipeline } from './keyed-pipeline';
import { PendingRecords } from './pending-records';
import { StageRunner } from './stage-runner';
import { TASK_META_KEY, decodeSnapshot, decodeTaskMeta, encodeSnapshot, encodeTaskMeta } from './task-snapshot';
import { DeadLetterReason, type InputValue, type SourceRecord, type TaskOutput } from './types';

/** A task's gauges at one moment, for monitoring; from `Task.metrics(wallClockMs)`. */
export interface TaskMetrics {
  /** The task watermark, in epoch ms; -Infinity before any partition has one. */
  readonly watermark: number;
  /** Wall clock minus watermark: how far behind real time the decided events are. */
  readonly watermarkLagMs: number;
  /** Input partitions currently idle: they do not hold the task watermark back. */
  readonly idlePartitions: InputPartition[];
  /** Records accepted and waiting for the watermark. */
  readonly pendingRecords: number;
  /** Accounts the task holds state for. */
  readonly keys: number;
}

/**
 * The job's work for one input partition number across all its (co-partitioned) inputs.
 *
 * A call to `process` handles a batch in three steps:
 * 1. Each record is admitted (or rejected to dead letters) and its partition watermark observed.
 * 2. A record at or behind its own partition's watermark (it broke the out-of-orderness bound of
 *    its partition) is late: it waits to be decided at that watermark, its release time, and is
 *    counted. A record behind the task watermark only (its partition had been idle, so the task
 *    moved past it) is late too, and is decided at once, at the task watermark. Any other record
 *    waits to be released at its event time. Waiting records are part of their key's state.
 * 3. The task watermark advances; waiting records with a release time <= watermark are released
 *    in (release time, input rank, offset) order, interleaved with the stage's timers (a timer at
 *    T fires after every record released at or before T), then expiring state is swept.
 * A record's release time follows from its partition's log order alone, and only the watermark
 * releases records, so the outputs do not depend on arrival order within the out-of-orderness
 * bound, on how records are split into batches, or on how the partitions of a task interleave:
 * the decisions on a backlog are a function of the log. Only idleness, which is processing time,
 * can make a record late that a backlog would not.
 */
export class Task<Out> {
  readonly partition: number;
  readonly #store = new KeyedStateStore();
  readonly #pending: PendingRecords;
  readonly #watermarks: WatermarkTracker;
  readonly #intake: Intake;
  readonly #stage: StageRunner<Out, unknown>;
  readonly #pipeline: KeyedPipeline<Out, unknown>;
  readonly #expiry: ExpirySchedule;
  readonly #inputs: JobSettings<Out, unknown>['inputs'];
  /** What the current call returns, filled as it goes. */
  #out: TaskOutput<Out> = emptyOutput(-Infinity);

  constructor(settings: JobSettings<Out, unknown>, partition: number) {
    this.partition = partition;
    this.#inputs = settings.inputs;
    const partitions = settings.inputs.map(({ topic }) => ({ topic, partition }));
    this.#watermarks = new WatermarkTracker(partitions, settings);
    this.#intake = new Intake(settings.inputs, partition, this.#watermarks, settings);
    this.#pending = new PendingRecords(this.#store, settings.inputs);
    this.#stage = new StageRunner(this.#store, settings.stage);
    this.#pipeline = new KeyedPipeline(this.#store, settings, partition, this.#stage);
    this.#expiry = new ExpirySchedule(this.#store.rows);
  }

  get watermark(): number {
    return this.#watermarks.watermark;
  }

  process(records: readonly SourceRecord[], processingTime: number): TaskOutput<Out> {
    const out = this.#begin();
    const watermark = this.#watermarks.watermark;
    let lateRecords = 0;
    const intake = this.#intake;
    for (const record of records) {
      const rejected = intake.admit(record);
      if (rejected !== undefined) {
        out.deadLetters.push(rejected);
        continue;
      }
      const eventTime = record.eventTime as number;
      const value = record.value as InputValue;
      const partitionWatermark = this.#watermarks.partitionWatermark(intake.rank);
      if (intake.held) {
        this.#watermarks.observeActivity(intake.rank, processingTime);
        out.held.push(record);
      } else {
        this.#watermarks.observe(intake.rank, eventTime, processingTime);
      }
      const key = this.#store.open(record.key as string);
      const lateInPartition = eventTime <= partitionWatermark;
      const releaseAt = lateInPartition ? partitionWatermark : eventTime;
      if (releaseAt <= watermark) {
        lateRecords++;
        this.#apply(key, intake.rank, intake.offset, eventTime, value, true, watermark, record);
      } else {
        if (lateInPartition) lateRecords++;
        this.#pending.hold(key, intake.rank, intake.offset, eventTime, value, releaseAt, lateInPartition);
        this.#store.touch(key);
      }
    }
    this.#release(this.#watermarks.advance(processingTime));
    return { ...out, lateRecords, watermark: this.watermark };
  }

  /** Lets processing time pass without data: partitions may turn idle and release waiting records. */
  onProcessingTime(processingTime: number): TaskOutput<Out> {
    return this.#releasing(() => this.#watermarks.advance(processingTime));
  }

  /** Input `topic` of this task's partition is known to hold no records: it does not hold the watermark back. */
  markEmpty(topic: string): void {
    const slot = this.#inputs.findIndex((input) => input.topic === topic);
    if (slot < 0) throw new Error(`${topic} is not an input of this job`);
    this.#watermarks.markEmpty(slot);
  }

  /** The input has ended (a bounded replay, a test): releases every waiting record, held ones included. */
  endOfInput(): TaskOutput<Out> {
    return this.#releasing(() => this.#watermarks.endOfInput(this.#pending.latestReleaseAt()));
  }

  metrics(wallClockMs: number): TaskMetrics {
    return {
      watermark: this.watermark,
      watermarkLagMs: this.#watermarks.lagMs(wallClockMs),
      idlePartitions: this.#watermarks.idlePartitions(),
      pendingRecords: this.#pending.size,
      keys: this.#store.size,
    };
  }

  /** Keys changed since the last call as changelog records (tombstones for deleted keys), task meta first; commits them. */
  changelog(): ChangelogRecord[] {
    return [this.#metaRecord(), ...this.#store.changelog()];
  }

  /** The whole task state as bytes: restoring it and continuing gives the output of an uninterrupted run. */
  snapshot(): Uint8Array {
    const records = [this.#metaRecord()];
    for (const key of this.#store.keys()) {
      const value = this.#store.encode(key);
      if (value !== null) records.push({ key, value });
    }
    return encodeSnapshot(records);
  }

  restore(snapshot: Uint8Array): void {
    this.restoreChangelog(decodeSnapshot(snapshot));
  }

  /** Replaces all state with a compacted changelog (the latest record per key). */
  restoreChangelog(records: Iterable<ChangelogRecord>): void {
    this.#store.clear();
    for (const { key, value } of records) {
      if (key === TASK_META_KEY) {
        if (value !== null) decodeTaskMeta(value, this.partition, this.#watermarks);
      } else {
        this.#store.restore(key, value);
      }
    }
    this.#expiry.clear();
    // Restored keys may hold expiring state whose last activity is unknown: sweep them one retention from now.
    const sweepAt = this.watermark + this.#pipeline.retentionMs;
    for (const key of this.#store.ids()) this.#expiry.schedule(key, sweepAt);
    this.#pending.rebuildOrder();
    this.#stage.rebuildTimers();
    this.#store.markCommitted();
  }

  #begin(): TaskOutput<Out> {
    this.#out = emptyOutput(this.watermark);
    this.#stage.emitTo(this.#out.records, this.#out.timerFailures);
    return this.#out;
  }

  #releasing(advance: () => number): TaskOutput<Out> {
    const out = this.#begin();
    this.#release(advance());
    return { ...out, watermark: this.watermark };
  }

  #release(watermark: number): void {
    const pending = this.#pending;
    for (let slot = pending.releaseNext(watermark); slot >= 0; slot = pending.releaseNext(watermark)) {
      const eventTime = pending.eventTimeOf(slot);
      const releaseAt = pending.releaseAtOf(slot);
      this.#fireTimers(releaseAt - 1);
      this.#apply(pending.keyOf(slot), pending.rankOf(slot), pending.offsetOf(slot), eventTime, pending.valueOf(slot), pending.isLate(slot), releaseAt);
      pending.free(slot);
    }
    this.#fireTimers(watermark);
    for (let key = this.#expiry.nextDue(watermark); key >= 0; key = this.#expiry.nextDue(watermark)) {
      // A key deleted since it was scheduled has no state left to sweep.
      if (!this.#store.has(key)) continue;
      this.#pipeline.evict(key, watermark);
      this.#store.touch(key);
      this.#store.deleteIfEmpty(key);
    }
  }

  /** Timer outputs have no input record: their origins are null. */
  #fireTimers(limit: number): void {
    const { records, origins } = this.#out;
    this.#stage.fireTimers(limit);
    while (origins.length < records.length) origins.push(null);
  }

  /**
   * Decides one record. A record the pipeline refuses, or whose processing throws, becomes a dead
   * letter, and whatever it emitted before it threw is taken back: each input still ends as one
   * output or one dead letter, and the next record goes on. A throw can leave the key's state
   * partly updated, but the same input does the same on every replay, so the output stays a
   * function of the input. `record` is the consumed record, when the caller still has it.
   */
  #apply(key: number, rank: number, offset: string, eventTime: number, value: InputValue, late: boolean, asOf: number, record?: SourceRecord): void {
    const { records, origins, deadLetters } = this.#out;
    const mark = records.length;
    let refusal;
    try {
      refusal = this.#pipeline.process(key, rank, offset, eventTime, value, late, asOf);
    } catch (error) {
      records.length = mark;
      refusal = { reason: DeadLetterReason.ProcessingFailed, detail: `deciding the record threw: ${describeError(error)}` };
    }
    if (refusal !== undefined || records.length > mark) {
      const origin = record ?? { topic: this.#inputs[rank]!.topic, partition: this.partition, offset, key: this.#store.keyOf(key), eventTime, value };
      if (refusal !== undefined) deadLetters.push({ record: origin, ...refusal });
      while (origins.length < records.length) origins.push(origin);
    }
    this.#store.touch(key);
    this.#expiry.schedule(key, asOf + this.#pipeline.retentionMs);
  }

  #metaRecord(): ChangelogRecord {
    return { key: TASK_META_KEY, value: encodeTaskMeta(this.partition, this.#watermarks) };
  }
}

function emptyOutput<Out>(watermark: number): TaskOutput<Out> {
  return { records: [], origins: [], deadLetters: [], lateRecords: 0, held: [], timerFailures: [], watermark };
}
