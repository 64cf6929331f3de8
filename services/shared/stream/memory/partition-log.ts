import { recordBytes } from '../record-size';
import type { LogRecord, OutgoingRecord, Retention } from '../types';

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

/**
 * A run of offsets. Only the newest segment (the active one) is appended to; older ones are closed,
 * and only ever shrink (compaction) or go (retention). `offsets` and `entries` run in parallel; a
 * null entry is a commit marker.
 */
class Segment {
  offsets: number[] = [];
  entries: Array<LogRecord | null> = [];
  bytes = 0;
  records = 0;

  constructor(
    /** The first offset the segment covers, whether or not a record is still there. */
    readonly base: number,
    /** When it was last appended to: time-based retention and tombstone expiry judge by this. */
    public lastAppendMs: number,
  ) {}

  push(offset: number, entry: LogRecord | null, bytes: number, now: number): void {
    this.offsets.push(offset);
    this.entries.push(entry);
    this.bytes += bytes;
    if (entry) this.records++;
    this.lastAppendMs = now;
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
    this.#segments = [new Segment(0, config.now())];
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
    // Copies, so a producer may reuse its buffers once `send` resolves, as with a real client.
    const entry = Object.freeze({
      topic: this.topic,
      partition: this.partition,
      offset: String(this.#end),
      key: record.key ? Buffer.from(record.key) : null,
      value: record.value ? Buffer.from(record.value) : null,
      timestamp: record.timestamp ?? now,
      headers: Object.freeze(Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)]))),
    });
    this.#push(entry, recordBytes(record), now);
  }

  appendCommitMarker(): void {
    this.#push(null, 0, this.#config.now());
  }

  /** Up to `max` records in [from, until), and the offset after the last entry looked at (markers and gaps included). */
  read(from: number, max: number, until = this.end): { records: LogRecord[]; next: number } {
    const records: LogRecord[] = [];
    if (from >= until) return { records, next: from };
    let next = from;
    for (let s = this.#segmentAt(from); s < this.#segments.length; s++) {
      const { offsets, entries } = this.#segments[s];
      for (let i = firstAtOrAfter(offsets, from); i < offsets.length; i++) {
        if (offsets[i] >= until) return { records, next: until };
        if (records.length >= max) return { records, next };
        const entry = entries[i];
        if (entry) records.push(entry);
        next = offsets[i] + 1;
      }
    }
    return { records, next: until };
  }

  #push(entry: LogRecord | null, bytes: number, now: number): void {
    let active = this.#segments[this.#segments.length - 1];
    if (active.offsets.length > 0 && active.bytes + bytes > this.#config.segmentBytes) active = this.#roll(now);
    active.push(this.#end++, entry, bytes, now);
    this.#bytes += bytes;
    if (!this.#config.compacted) this.#deleteExpired(now);
  }

  #roll(now: number): Segment {
    this.#dirtyBytes += this.#segments[this.#segments.length - 1].bytes;
    const active = new Segment(this.#end, now);
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
    for (const { offsets, entries } of this.#segments) {
      entries.forEach((entry, i) => entry?.key && newest.set(entry.key.toString('latin1'), offsets[i]));
    }
    const tombstonesBefore = now - this.#config.retention.ms;
    let removedRecords = 0;
    let removedBytes = 0;
    const closed = this.#segments.slice(0, -1).map((segment) => {
      const kept = new Segment(segment.base, segment.lastAppendMs);
      segment.entries.forEach((entry, i) => {
        const bytes = entry ? recordBytes(entry) : 0;
        const keep = entry?.key && newest.get(entry.key.toString('latin1')) === segment.offsets[i] && (entry.value !== null || segment.lastAppendMs >= tombstonesBefore);
        if (keep) {
          kept.push(segment.offsets[i], entry, bytes, segment.lastAppendMs);
        } else if (entry) {
          removedRecords++;
          removedBytes += bytes;
        }
      });
      return kept;
    });
    this.#segments = [...mergeSmall(closed, this.#config.segmentBytes), this.#segments[this.#segments.length - 1]];
    this.#bytes -= removedBytes;
    this.#dirtyBytes = 0;
    if (removedRecords > 0) this.#config.onRemoved('compaction', removedRecords, removedBytes);
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

/** Neighbouring segments joined while they fit in one; each run keeps its first base, so the offsets it covers stay covered. */
function mergeSmall(segments: readonly Segment[], segmentBytes: number): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (last && last.bytes + segment.bytes <= segmentBytes) {
      segment.entries.forEach((entry, i) => last.push(segment.offsets[i], entry, entry ? recordBytes(entry) : 0, segment.lastAppendMs));
    } else {
      merged.push(segment);
    }
  }
  return merged;
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
