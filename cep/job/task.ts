import { ExpirySchedule } from '../state/expiry-schedule';
import { type ChangelogRecord, KeyedStateStore } from '../state/keyed-state';
import { type InputPartition, WatermarkTracker } from '../time/watermark-tracker';
import { Intake } from './intake';
import type { JobSettings } from './job-settings';
import { KeyedPipeline } from './keyed-pipeline';
import { PendingRecords } from './pending-records';
import { StageRunner } from './stage-runner';
import { TASK_META_KEY, decodeSnapshot, decodeTaskMeta, encodeSnapshot, encodeTaskMeta } from './task-snapshot';
import type { InputValue, RejectedRecord, SourceRecord, TaskOutput } from './types';

export interface TaskMetrics {
  readonly watermark: number;
  /** Wall clock minus watermark: how far behind real time the decided events are. */
  readonly watermarkLagMs: number;
  readonly idlePartitions: InputPartition[];
  /** Records accepted and waiting for the watermark. */
  readonly pendingRecords: number;
  readonly keys: number;
}

/**
 * The job's work for one input partition number across all its (co-partitioned) inputs.
 *
 * A call to `process` handles a batch in three steps:
 * 1. Each record is admitted (or rejected to dead letters) and its partition watermark observed.
 * 2. A record at or behind the task watermark as it stood when the call began is late: it is
 *    processed at once against current state, decided at that watermark and counted. Any other
 *    record waits among the pending records, which are part of its key's state.
 * 3. The task watermark advances; waiting records with eventTime <= watermark are released in
 *    (eventTime, input rank, partition, offset) order, interleaved with the stage's timers (a
 *    timer at T fires after every event at or before T), then expiring state is swept.
 * Because only the watermark releases records, the outputs of on-time records do not depend on
 * arrival order within the out-of-orderness bound or on how records are split into batches.
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

  constructor(settings: JobSettings<Out, unknown>, partition: number) {
    this.partition = partition;
    const partitions = settings.inputs.map(({ topic }) => ({ topic, partition }));
    this.#watermarks = new WatermarkTracker(partitions, settings);
    this.#intake = new Intake(settings.inputs, partition, this.#watermarks, settings.maxFutureSkewMs);
    this.#pending = new PendingRecords(this.#store, settings.inputs);
    this.#stage = new StageRunner(this.#store, settings.stage);
    this.#pipeline = new KeyedPipeline(this.#store, settings, partition, this.#stage);
    this.#expiry = new ExpirySchedule(this.#store.rows);
  }

  get watermark(): number {
    return this.#watermarks.watermark;
  }

  process(records: readonly SourceRecord[], processingTime: number): TaskOutput<Out> {
    const emitted: Out[] = [];
    const deadLetters: RejectedRecord[] = [];
    this.#stage.emitTo(emitted);
    const watermark = this.#watermarks.watermark;
    let lateRecords = 0;
    const intake = this.#intake;
    for (const record of records) {
      const rejected = intake.admit(record);
      if (rejected !== undefined) {
        deadLetters.push(rejected);
        continue;
      }
      const eventTime = record.eventTime as number;
      const value = record.value as InputValue;
      this.#watermarks.observe(intake.rank, eventTime, processingTime);
      const key = this.#store.open(record.key as string);
      if (eventTime <= watermark) {
        lateRecords++;
        this.#apply(key, intake.rank, intake.offset, eventTime, value, true, watermark);
      } else {
        this.#pending.hold(key, intake.rank, intake.offset, eventTime, value);
        this.#store.touch(key);
      }
    }
    this.#release(this.#watermarks.advance(processingTime));
    return { records: emitted, deadLetters, lateRecords, watermark: this.watermark };
  }

  /** Lets processing time pass without data: partitions may turn idle and release waiting records. */
  onProcessingTime(processingTime: number): TaskOutput<Out> {
    return this.#releasing(() => this.#watermarks.advance(processingTime));
  }

  /** The input has ended (a bounded replay, a test): releases every waiting record. */
  endOfInput(): TaskOutput<Out> {
    return this.#releasing(() => this.#watermarks.endOfInput());
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

  #releasing(advance: () => number): TaskOutput<Out> {
    const emitted: Out[] = [];
    this.#stage.emitTo(emitted);
    this.#release(advance());
    return { records: emitted, deadLetters: [], lateRecords: 0, watermark: this.watermark };
  }

  #release(watermark: number): void {
    const pending = this.#pending;
    for (let slot = pending.releaseNext(watermark); slot >= 0; slot = pending.releaseNext(watermark)) {
      const eventTime = pending.eventTimeOf(slot);
      this.#stage.fireTimers(eventTime - 1);
      this.#apply(pending.keyOf(slot), pending.rankOf(slot), pending.offsetOf(slot), eventTime, pending.valueOf(slot), false, eventTime);
      pending.free(slot);
    }
    this.#stage.fireTimers(watermark);
    for (let key = this.#expiry.nextDue(watermark); key >= 0; key = this.#expiry.nextDue(watermark)) {
      // A key deleted since it was scheduled has no state left to sweep.
      if (!this.#store.has(key)) continue;
      this.#pipeline.evict(key, watermark);
      this.#store.touch(key);
      this.#store.deleteIfEmpty(key);
    }
  }

  #apply(key: number, rank: number, offset: string, eventTime: number, value: InputValue, late: boolean, asOf: number): void {
    this.#pipeline.process(key, rank, offset, eventTime, value, late, asOf);
    this.#store.touch(key);
    this.#expiry.schedule(key, asOf + this.#pipeline.retentionMs);
  }

  #metaRecord(): ChangelogRecord {
    return { key: TASK_META_KEY, value: encodeTaskMeta(this.partition, this.#watermarks) };
  }
}
