import { recordBytes } from '../record-size';
import type { LogRecord, OutgoingRecord, RecordHeaders, Retention } from '../types';

export type RemovalCause = 'retention-time' | 'retention-bytes' | 'compaction';

export interface PartitionLogConfig {
  /** Keeps the newest record per key instead of deleting by age and size. */
  readonly compacted: boolean;
  readonly retention: Retention;
  /** A segment closes once it would grow past this; retention removes whole closed segments. */
  readonly segmentBytes: number;
  /** The log's clock: stamps records without a timestamp, and ages segments by when they were appended to. */
  readonly now: () => number;
  /** Told of every record the log removes. */
  readonly onRemoved: (cause: RemovalCause, records: number, bytes: number) => void;
}

/** Largest block a segment allocates its records' bytes from. */
const ARENA_CHUNK_BYTES = 65_536;
const NO_HEADERS: RecordHeaders = Object.freeze({});

/** What a segment keeps of a record: its offset, topic and partition are the segment's to say. */
type StoredRecord = Pick<LogRecord, 'key' | 'value' | 'timestamp' | 'headers'>;

/**
 * A run of offsets. Only the newest segment (the active one) is appended to; older ones are closed,
 * and only ever shrink (compaction) or go (retention).
 *
 * A record is kept packed: its key and value bytes side by side in a block of the segment's own,
 * and a few numbers per entry in parallel arrays; `recordAt` builds the LogRecord a reader gets.
 * Kept as objects, each record would cost the heap three of them (the record and two buffer views)
 * for as long as retention keeps it. And own blocks rather than Node's shared buffer pool: a pooled
 * copy keeps its whole 8 KB pool block alive, so one record kept long (a compacted topic's newest
 * value, a record of a quiet topic) would hold the bytes of every record copied beside it, whatever
 * their topics' retention removed. Here a block lives as long as its segment, and compaction copies
 * the records it keeps into fresh blocks.
 */
class Segment {
  readonly offsets: number[] = [];
  /** The entry's block, or -1 for a commit marker. */
  readonly #blockOf: number[] = [];
  readonly #startOf: number[] = [];
  /** -1 for a null key or value. */
  readonly #keyLengthOf: number[] = [];
  readonly #valueLengthOf: number[] = [];
  readonly #timestampOf: number[] = [];
  /** Headers are rare: only entries that have any are here, by index. */
  readonly #headersOf = new Map<number, RecordHeaders>();
  readonly #blocks: Buffer[] = [];
  readonly #blockBytes: number;
  #used = 0;
  bytes = 0;
  records = 0;

  constructor(
    /** The first offset the segment covers, whether or not a record is still there. */
    readonly base: number,
    /** When it was last appended to: time-based retention and tombstone expiry judge by this. */
    public lastAppendMs: number,
    segmentBytes: number,
  ) {
    this.#blockBytes = Math.min(ARENA_CHUNK_BYTES, segmentBytes);
  }

  get length(): number {
    return this.offsets.length;
  }

  /** Appends `record` (null: a commit marker), copying its bytes, so a producer may reuse its buffers. */
  push(offset: number, record: StoredRecord | null, bytes: number, now: number): void {
    const index = this.offsets.length;
    this.offsets.push(offset);
    this.bytes += bytes;
    this.lastAppendMs = now;
    if (!record) {
      this.#blockOf.push(-1);
      this.#startOf.push(0);
      this.#keyLengthOf.push(-1);
      this.#valueLengthOf.push(-1);
      this.#timestampOf.push(0);
      return;
    }
    this.records++;
    const keyLength = record.key?.length ?? -1;
    const valueLength = record.value?.length ?? -1;
    const block = this.#reserve(Math.max(keyLength, 0) + Math.max(valueLength, 0));
    const start = this.#used;
    record.key?.copy(block, start);
    record.value?.copy(block, start + Math.max(keyLength, 0));
    this.#used += Math.max(keyLength, 0) + Math.max(valueLength, 0);
    this.#blockOf.push(this.#blocks.length - 1);
    this.#startOf.push(start);
    this.#keyLengthOf.push(keyLength);
    this.#valueLengthOf.push(valueLength);
    this.#timestampOf.push(record.timestamp);
    const headers = Object.entries(record.headers);
    if (headers.length > 0) this.#headersOf.set(index, Object.freeze(Object.fromEntries(headers.map(([name, value]) => [name, Buffer.from(value)]))));
  }

  /** The record at `index` as readers see it, or null for a commit marker. */
  recordAt(index: number, topic: string, partition: number): LogRecord | null {
    const blockIndex = this.#blockOf[index];
    if (blockIndex < 0) return null;
    const block = this.#blocks[blockIndex];
    const start = this.#startOf[index];
    const keyLength = this.#keyLengthOf[index];
    const valueLength = this.#valueLengthOf[index];
    const valueStart = start + Math.max(keyLength, 0);
    return {
      topic,
      partition,
      offset: String(this.offsets[index]),
      key: keyLength < 0 ? null : block.subarray(start, start + keyLength),
      value: valueLength < 0 ? null : block.subarray(valueStart, valueStart + valueLength),
      timestamp: this.#timestampOf[index],
      headers: this.#headersOf.get(index) ?? NO_HEADERS,
    };
  }

  /** A block with `bytes` free at `#used`. */
  #reserve(bytes: number): Buffer {
    const current = this.#blocks[this.#blocks.length - 1];
    if (current && this.#used + bytes <= current.length) return current;
    const block = Buffer.allocUnsafeSlow(Math.max(this.#blockBytes, bytes));
    this.#blocks.push(block);
    this.#used = 0;
    return block;
  }
}

/**
 * The records of one partition, in segments as Kafka keeps them, with Kafka's retention: a deleting
 * topic drops its oldest closed segment once it is older than `retention.ms` or the partition holds
 * more than `retention.bytes` without it; a compacted topic keeps the newest record per key (and a
 * tombstone until it is older than `retention.ms`). Either way offsets never change: compaction
 * leaves gaps, and retention moves the start offset. A committed transaction leaves a marker slot
 * after its records, as Kafka's commit marker does, so readers meet the same offset gaps in both
 * modes and nobody comes to rely on offsets being contiguous.
 */
export class PartitionLog {
  readonly #config: PartitionLogConfig;
  #segments: Segment[];
  #end = 0;
  #bytes = 0;
  /** Bytes closed since the last compaction (Kafka's dirty section): compaction runs once they match the clean rest. */
  #dirtyBytes = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    config: PartitionLogConfig,
  ) {
    this.#config = config;
    this.#segments = [new Segment(0, config.now(), config.segmentBytes)];
  }

  /** The offset of the oldest record still kept (Kafka's log start offset). */
  get start(): number {
    return this.#segments[0].base;
  }

  get end(): number {
    return this.#end;
  }

  /** What the partition holds, counted as `recordBytes` counts a record. */
  get bytes(): number {
    return this.#bytes;
  }

  append(record: OutgoingRecord): void {
    const now = this.#config.now();
    const bytes = recordBytes(record);
    const stored = { key: record.key ?? null, value: record.value, timestamp: record.timestamp ?? now, headers: record.headers ?? NO_HEADERS };
    this.#push(this.#activeFor(bytes, now), stored, bytes, now);
  }

  appendCommitMarker(): void {
    const now = this.#config.now();
    this.#push(this.#activeFor(0, now), null, 0, now);
  }

  /** Up to `max` records in [from, until), and the offset after the last entry looked at (markers and gaps included). */
  read(from: number, max: number, until = this.end): { records: LogRecord[]; next: number } {
    const records: LogRecord[] = [];
    if (from >= until) return { records, next: from };
    let next = from;
    for (let s = this.#segmentAt(from); s < this.#segments.length; s++) {
      const segment = this.#segments[s];
      const { offsets } = segment;
      for (let i = firstAtOrAfter(offsets, from); i < offsets.length; i++) {
        if (offsets[i] >= until) return { records, next: until };
        if (records.length >= max) return { records, next };
        const record = segment.recordAt(i, this.topic, this.partition);
        if (record) records.push(record);
        next = offsets[i] + 1;
      }
    }
    return { records, next: until };
  }

  /** The active segment, rolled first if `bytes` more would take it past its size. */
  #activeFor(bytes: number, now: number): Segment {
    const active = this.#segments[this.#segments.length - 1];
    return active.length > 0 && active.bytes + bytes > this.#config.segmentBytes ? this.#roll(now) : active;
  }

  #push(active: Segment, record: StoredRecord | null, bytes: number, now: number): void {
    active.push(this.#end++, record, bytes, now);
    this.#bytes += bytes;
    if (!this.#config.compacted) this.#deleteExpired(now);
  }

  #roll(now: number): Segment {
    this.#dirtyBytes += this.#segments[this.#segments.length - 1].bytes;
    const active = new Segment(this.#end, now, this.#config.segmentBytes);
    this.#segments.push(active);
    // Kafka's min.cleanable.dirty.ratio of 0.5: each pass at least halves what it reads, so the
    // work per record appended stays constant however long the topic lives.
    if (this.#config.compacted && this.#dirtyBytes >= this.#bytes - active.bytes - this.#dirtyBytes) this.#compact(now);
    return active;
  }

  /** Drops the oldest closed segment while it is past either limit; the active segment always stays. */
  #deleteExpired(now: number): void {
    const { ms, bytes } = this.#config.retention;
    while (this.#segments.length > 1) {
      const oldest = this.#segments[0];
      const cause = now - oldest.lastAppendMs > ms ? 'retention-time' : this.#bytes - oldest.bytes >= bytes ? 'retention-bytes' : undefined;
      if (!cause) return;
      this.#segments.shift();
      this.#bytes -= oldest.bytes;
      this.#config.onRemoved(cause, oldest.records, oldest.bytes);
    }
  }

  /**
   * Keeps, in the closed segments, only each key's newest record, and no tombstone older than the
   * retention time; then merges neighbours that fit in one segment. The active segment is read (its
   * records are the newest) but not rewritten, as Kafka's cleaner leaves it.
   */
  #compact(now: number): void {
    const newest = new Map<string, number>();
    this.#forEachRecord(this.#segments, (record) => record.key && newest.set(record.key.toString('latin1'), Number(record.offset)));
    const tombstonesBefore = now - this.#config.retention.ms;
    let removedRecords = 0;
    let removedBytes = 0;
    const closed = this.#segments.slice(0, -1).map((segment) => {
      const kept = new Segment(segment.base, segment.lastAppendMs, this.#config.segmentBytes);
      this.#forEachRecord([segment], (record) => {
        const bytes = recordBytes(record);
        const offset = Number(record.offset);
        if (record.key && newest.get(record.key.toString('latin1')) === offset && (record.value !== null || segment.lastAppendMs >= tombstonesBefore)) {
          kept.push(offset, record, bytes, segment.lastAppendMs);
        } else {
          removedRecords++;
          removedBytes += bytes;
        }
      });
      return kept;
    });
    this.#segments = [...this.#mergeSmall(closed), this.#segments[this.#segments.length - 1]];
    this.#bytes -= removedBytes;
    this.#dirtyBytes = 0;
    if (removedRecords > 0) this.#config.onRemoved('compaction', removedRecords, removedBytes);
  }

  /** Neighbouring segments joined while they fit in one; each run keeps its first base, so the offsets it covers stay covered. */
  #mergeSmall(segments: readonly Segment[]): Segment[] {
    const merged: Segment[] = [];
    for (const segment of segments) {
      const last = merged[merged.length - 1];
      if (last && last.bytes + segment.bytes <= this.#config.segmentBytes) {
        this.#forEachRecord([segment], (record) => last.push(Number(record.offset), record, recordBytes(record), segment.lastAppendMs));
      } else {
        merged.push(segment);
      }
    }
    return merged;
  }

  /** Every record (not marker) of `segments`, in offset order. */
  #forEachRecord(segments: readonly Segment[], visit: (record: LogRecord) => void): void {
    for (const segment of segments) {
      for (let i = 0; i < segment.length; i++) {
        const record = segment.recordAt(i, this.topic, this.partition);
        if (record) visit(record);
      }
    }
  }

  /** The segment holding `offset`: the last whose base is at or below it (the first, for an offset before them all). */
  #segmentAt(offset: number): number {
    let low = 0;
    let high = this.#segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#segments[mid].base <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/** The index of the first offset at or after `offset` in an ascending array. */
function firstAtOrAfter(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
