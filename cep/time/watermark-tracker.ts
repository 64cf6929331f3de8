import type { ByteReader, ByteWriter } from '../state/bytes';

/** One Kafka partition of one input topic. */
export interface InputPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Bounds of a {@link WatermarkTracker}, in milliseconds; a job takes them from its `JobConfig`. */
export interface WatermarkOptions {
  /** How far behind the highest event time seen a record of the same partition may still arrive on time. */
  readonly outOfOrdernessMs: number;
  /** Processing time without data after which a partition stops holding the task watermark back. */
  readonly idleTimeoutMs: number;
}

/**
 * Records in a row, each too far ahead of its partition's newest accepted time, after which the
 * partition's clock is taken to have jumped (a new run on old topics, a backfill) rather than to
 * carry stray records: three is enough for a burst, and a stray record rarely comes in threes.
 */
export const JUMP_CONFIRMATIONS = 3;

/**
 * Per-partition watermarks merged into one non-decreasing task watermark, after Flink's
 * Kafka-partition-aware watermarks with `withIdleness`.
 *
 * - A partition's watermark is `maxEventTime - outOfOrdernessMs - 1`. The `- 1` (as in Flink's
 *   BoundedOutOfOrdernessWatermarks) is what makes a record exactly `outOfOrdernessMs` behind the
 *   newest one still on time: records are released when `eventTime <= watermark` and late when
 *   they arrive with `eventTime <= watermark`.
 * - The task watermark is the minimum over active partitions. An assigned partition that has
 *   never had data sits at -Infinity and holds the task back until it is idle.
 * - A partition is idle once `idleTimeoutMs` of processing time passed without data for it; the
 *   idle clock of a never-seen partition starts at the first processing time the task sees.
 *   Data makes it active again.
 * - When every partition is idle, none holds the task back, so the task watermark moves to the
 *   highest partition watermark: a quiet stream still gets its buffered records decided.
 * - The task watermark never goes backwards: a partition returning from idleness behind it
 *   simply delivers late records.
 */
export class WatermarkTracker {
  readonly partitions: readonly InputPartition[];
  readonly #options: WatermarkOptions;
  readonly #maxEventTime: Float64Array;
  /** Processing time of the last record per partition; NaN until the tracker first sees a clock. */
  readonly #lastActivity: Float64Array;
  readonly #idle: Uint8Array;
  /** Records in a row too far ahead of the partition, and the earliest time among them (see `aheadRun`). */
  readonly #aheadCount: Uint8Array;
  readonly #aheadMin: Float64Array;
  #watermark = -Infinity;

  constructor(partitions: readonly InputPartition[], options: WatermarkOptions) {
    this.partitions = partitions;
    this.#options = options;
    this.#maxEventTime = new Float64Array(partitions.length).fill(-Infinity);
    this.#lastActivity = new Float64Array(partitions.length).fill(NaN);
    this.#idle = new Uint8Array(partitions.length);
    this.#aheadCount = new Uint8Array(partitions.length);
    this.#aheadMin = new Float64Array(partitions.length).fill(Infinity);
  }

  /** The task watermark: every record with eventTime <= watermark has been (or is being) released. */
  get watermark(): number {
    return this.#watermark;
  }

  /** Highest event time seen on partition `slot`; -Infinity before its first record. Part of the snapshot. */
  maxEventTime(slot: number): number {
    return this.#maxEventTime[slot]!;
  }

  /** The watermark of partition `slot` alone: what its own records promise, whatever the others do. */
  partitionWatermark(slot: number): number {
    return this.#maxEventTime[slot]! - this.#options.outOfOrdernessMs - 1;
  }

  /** Records a record of partition `slot` (its index in `partitions`). Does not move the watermark. */
  observe(slot: number, eventTime: number, processingTime: number): void {
    this.observeActivity(slot, processingTime);
    if (eventTime > this.#maxEventTime[slot]!) this.#maxEventTime[slot] = eventTime;
    this.#aheadCount[slot] = 0;
    this.#aheadMin[slot] = Infinity;
  }

  /** Data arrived on partition `slot` without moving its event time (a record held ahead of it). */
  observeActivity(slot: number, processingTime: number): void {
    this.#startClock(processingTime);
    this.#lastActivity[slot] = processingTime;
    this.#idle[slot] = 0;
  }

  /**
   * Counts a record too far ahead of partition `slot` and returns true when it completes a run
   * of JUMP_CONFIRMATIONS such records in a row: the partition's newest time then moves to the
   * earliest of them, so that one stray time in the run cannot drag it further. Any record that
   * is not ahead (`observe`) ends the run. Runs follow the partition's log order alone, so the
   * verdicts are the same on every replay.
   */
  aheadRun(slot: number, eventTime: number): boolean {
    const count = this.#aheadCount[slot]! + 1;
    const earliest = Math.min(this.#aheadMin[slot]!, eventTime);
    if (count < JUMP_CONFIRMATIONS) {
      this.#aheadCount[slot] = count;
      this.#aheadMin[slot] = earliest;
      return false;
    }
    this.#maxEventTime[slot] = Math.max(this.#maxEventTime[slot]!, earliest);
    this.#aheadCount[slot] = 0;
    this.#aheadMin[slot] = Infinity;
    return true;
  }

  /**
   * Partition `slot` is known to hold no records (a replayed history without any): it holds
   * nothing back, as if idle, until a record comes after all.
   */
  markEmpty(slot: number): void {
    this.#idle[slot] = 1;
  }

  /** Applies idleness at `processingTime` and recomputes the task watermark; returns it. */
  advance(processingTime: number): number {
    const { outOfOrdernessMs, idleTimeoutMs } = this.#options;
    let activeMin = Infinity;
    let idleMax = -Infinity;
    this.#startClock(processingTime);
    for (let slot = 0; slot < this.partitions.length; slot++) {
      if (processingTime - this.#lastActivity[slot]! >= idleTimeoutMs) this.#idle[slot] = 1;
      const partitionWatermark = this.#maxEventTime[slot]! - outOfOrdernessMs - 1;
      if (this.#idle[slot] === 1) idleMax = Math.max(idleMax, partitionWatermark);
      else activeMin = Math.min(activeMin, partitionWatermark);
    }
    const candidate = activeMin === Infinity ? idleMax : activeMin;
    if (candidate > this.#watermark) this.#watermark = candidate;
    return this.#watermark;
  }

  /**
   * Declares the input finished (a bounded replay or a test): nothing can arrive any more, so the
   * watermark moves to the highest event time seen, or to `latestHeld` (the latest record held
   * ahead of its partition) if that is later, and every buffered record becomes releasable.
   */
  endOfInput(latestHeld = -Infinity): number {
    for (const eventTime of this.#maxEventTime) if (eventTime > this.#watermark) this.#watermark = eventTime;
    if (latestHeld > this.#watermark) this.#watermark = latestHeld;
    return this.#watermark;
  }

  /** How far event time lags the given wall clock; Infinity before the first watermark. */
  lagMs(wallClockMs: number): number {
    return wallClockMs - this.#watermark;
  }

  idlePartitions(): InputPartition[] {
    return this.partitions.filter((_, slot) => this.#idle[slot] === 1);
  }

  /** The idle clock of every partition starts at the first processing time the tracker sees. */
  #startClock(processingTime: number): void {
    if (Number.isNaN(this.#lastActivity[0])) this.#lastActivity.fill(processingTime);
  }

  /** The event-time state: the task watermark, and per partition its newest time and run of records ahead. */
  encode(out: ByteWriter): void {
    out.float64(this.#watermark).uvarint(this.partitions.length);
    this.partitions.forEach(({ topic }, slot) => {
      out.string(topic).float64(this.#maxEventTime[slot]!).uint8(this.#aheadCount[slot]!).float64(this.#aheadMin[slot]!);
    });
  }

  /**
   * Restores what `encode` wrote; partitions are matched by topic, unknown topics are skipped.
   * `format` 1 and 2 also held each partition's idleness, format 1 no runs of records ahead.
   *
   * Idleness is neither kept nor restored. It was judged on the processing time of the process that
   * wrote the state, whose clock means nothing to this one: restored, every partition would be idle
   * at the first look at the clock, and the watermark would jump to the furthest partition, making
   * late the records the others still have. So every partition starts active, as on a fresh start,
   * and turns idle by this process's clock; and the state holds event time alone.
   */
  decode(input: ByteReader, format: 1 | 2 | 3): void {
    this.#watermark = input.float64();
    this.#lastActivity.fill(NaN);
    this.#idle.fill(0);
    for (let count = input.uvarint(); count > 0; count--) {
      const topic = input.string();
      const maxEventTime = input.float64();
      if (format < 3) {
        input.float64(); // last activity
        input.bool(); // idle
      }
      const aheadCount = format >= 2 ? input.uint8() : 0;
      const aheadMin = format >= 2 ? input.float64() : Infinity;
      const slot = this.partitions.findIndex((p) => p.topic === topic);
      if (slot < 0) continue;
      this.#maxEventTime[slot] = maxEventTime;
      this.#aheadCount[slot] = aheadCount;
      this.#aheadMin[slot] = aheadMin;
    }
  }
}
