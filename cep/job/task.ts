import { ExpirySchedule } from '../state/expiry-schedule';
import { type ChangelogRecord, type KeyState, KeyedStateStore, type StateSlot } from '../state/keyed-state';
import { ReorderBuffer } from '../time/reorder-buffer';
import { type InputPartition, WatermarkTracker } from '../time/watermark-tracker';
import { type FutureGuard, admit, isRejected } from './intake';
import type { JobSettings } from './job-settings';
import { KeyedPipeline } from './keyed-pipeline';
import { type HeldRecord, type PendingRecord, pendingRecordsSlot } from './pending-records';
import { StageRunner } from './stage-runner';
import { TASK_META_KEY, decodeSnapshot, decodeTaskMeta, encodeSnapshot, encodeTaskMeta } from './task-snapshot';
import type { RejectedRecord, SourceRecord, TaskOutput } from './types';

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
 *    record waits in the reorder buffer and in its key's state.
 * 3. The task watermark advances; waiting records with eventTime <= watermark are released in
 *    (eventTime, input rank, partition, offset) order, interleaved with the stage's timers (a
 *    timer at T fires after every event at or before T), then expiring state is swept.
 * Because only the watermark releases records, the outputs of on-time records do not depend on
 * arrival order within the out-of-orderness bound or on how records are split into batches.
 */
export class Task<Out> {
  readonly partition: number;
  readonly #settings: JobSettings<Out, unknown>;
  readonly #ranks: ReadonlyMap<string, number>;
  readonly #store = new KeyedStateStore();
  readonly #pending: StateSlot<PendingRecord[]>;
  readonly #buffer = new ReorderBuffer<HeldRecord>();
  readonly #open = (key: string): KeyState => this.#store.open(key);
  readonly #watermarks: WatermarkTracker;
  readonly #guard: FutureGuard;
  readonly #stage: StageRunner<Out, unknown>;
  readonly #pipeline: KeyedPipeline<Out, unknown>;
  readonly #expiry = new ExpirySchedule();

  constructor(settings: JobSettings<Out, unknown>, partition: number) {
    this.partition = partition;
    this.#settings = settings;
    this.#ranks = new Map(settings.inputs.map((input, rank) => [input.topic, rank]));
    const partitions = settings.inputs.map(({ topic }) => ({ topic, partition }));
    this.#watermarks = new WatermarkTracker(partitions, settings);
    this.#guard = { watermarks: this.#watermarks, maxFutureSkewMs: settings.maxFutureSkewMs };
    this.#pending = this.#store.register(pendingRecordsSlot(settings.inputs, partition));
    this.#stage = new StageRunner(this.#store, settings.stage);
    this.#pipeline = new KeyedPipeline(this.#store, settings, this.#stage);
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
    for (const record of records) {
      const admitted = admit(record, this.#ranks, this.#settings.inputs, this.partition, this.#guard, this.#open);
      if (isRejected(admitted)) {
        deadLetters.push(admitted);
        continue;
      }
      this.#watermarks.observe(admitted.rank, admitted.eventTime, processingTime);
      if (admitted.eventTime <= watermark) {
        lateRecords++;
        this.#apply(admitted, true, watermark);
      } else {
        this.#hold(admitted);
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
      pendingRecords: this.#buffer.size,
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
    this.#buffer.clear();
    this.#expiry.clear();
    // Restored keys may hold expiring state whose last activity is unknown: sweep them one retention from now.
    const sweepAt = this.watermark + this.#pipeline.retentionMs;
    for (const key of this.#store.keys()) {
      const state = this.#store.find(key)!;
      const pending = state.get(this.#pending)?.map((record): HeldRecord => ({ ...record, state }));
      state.set(this.#pending, pending);
      for (const record of pending ?? []) this.#buffer.add(record);
      this.#expiry.schedule(state, sweepAt);
    }
    this.#stage.rebuildTimers();
    this.#store.markCommitted();
  }

  #releasing(advance: () => number): TaskOutput<Out> {
    const emitted: Out[] = [];
    this.#stage.emitTo(emitted);
    this.#release(advance());
    return { records: emitted, deadLetters: [], lateRecords: 0, watermark: this.watermark };
  }

  #hold(record: HeldRecord): void {
    const state = record.state;
    const pending = state.get(this.#pending);
    if (pending === undefined) state.set(this.#pending, [record]);
    else pending.push(record);
    this.#store.touch(state);
    this.#buffer.add(record);
  }

  #release(watermark: number): void {
    for (let record = this.#buffer.releaseNext(watermark); record !== undefined; record = this.#buffer.releaseNext(watermark)) {
      this.#stage.fireTimers(record.eventTime - 1);
      const state = record.state;
      const pending = state.get(this.#pending)!;
      if (pending.length === 1) state.set(this.#pending, undefined);
      else pending.splice(pending.indexOf(record), 1);
      this.#apply(record, false, record.eventTime);
    }
    this.#stage.fireTimers(watermark);
    for (const state of this.#expiry.takeDue(watermark)) {
      // A key deleted since it was scheduled is no longer in the store.
      if (this.#store.find(state.key) !== state) continue;
      this.#pipeline.evict(state, watermark);
      this.#store.touch(state);
      this.#store.deleteIfEmpty(state.key);
    }
  }

  #apply(record: HeldRecord, late: boolean, asOf: number): void {
    const state = record.state;
    this.#pipeline.process(state, record, late, asOf);
    this.#store.touch(state);
    this.#expiry.schedule(state, asOf + this.#pipeline.retentionMs);
  }

  #metaRecord(): ChangelogRecord {
    return { key: TASK_META_KEY, value: encodeTaskMeta(this.partition, this.#watermarks) };
  }
}
