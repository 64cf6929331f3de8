import type { LogRecord, OutgoingRecord } from '../types';

/**
 * The records of one partition, where the array index is the offset. A committed transaction leaves a
 * marker slot after its records, as Kafka's commit marker does, so readers meet the same offset gaps in
 * both modes and nobody comes to rely on offsets being contiguous. Nothing is ever removed: the embedded
 * mode's logs live as long as the process.
 */
export class PartitionLog {
  readonly #entries: Array<LogRecord | null> = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  get end(): number {
    return this.#entries.length;
  }

  append(record: OutgoingRecord): void {
    // Copies, so a producer may reuse its buffers once `send` resolves, as with a real client.
    this.#entries.push(
      Object.freeze({
        topic: this.topic,
        partition: this.partition,
        offset: String(this.#entries.length),
        key: record.key ? Buffer.from(record.key) : null,
        value: record.value ? Buffer.from(record.value) : null,
        timestamp: record.timestamp ?? Date.now(),
        headers: Object.freeze(Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)]))),
      }),
    );
  }

  appendCommitMarker(): void {
    this.#entries.push(null);
  }

  /** Up to `max` records in [from, until), and the offset after the last entry looked at (markers included). */
  read(from: number, max: number, until = this.end): { records: LogRecord[]; next: number } {
    const records: LogRecord[] = [];
    let next = from;
    while (next < until && records.length < max) {
      const entry = this.#entries[next++];
      if (entry) records.push(entry);
    }
    return { records, next };
  }
}
