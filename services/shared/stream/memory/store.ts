import { LogError, LogErrorCode } from '../errors';
import { partitionKey } from '../partition-key';
import type { OutgoingRecord, Retention, TopicPartition, TopicPartitionOffset, TopicSpec } from '../types';
import { PartitionLog, type RemovalCause } from './partition-log';
import { createPartitionChooser } from '../partitioner';
import { batchBytes } from '../record-size';

export interface RoutedRecord {
  readonly log: PartitionLog;
  readonly record: OutgoingRecord;
}

/** What the store tells about records it removes and positions it moves. */
export interface StoreObserver {
  removed(topic: string, cause: RemovalCause, records: number, bytes: number): void;
  /** A group's position fell out of retention and was reset, as Kafka's auto.offset.reset does. */
  offsetReset(groupId: string, partition: TopicPartition, from: number, to: number): void;
}

export interface StoreConfig {
  /** The max.message.bytes of a topic whose spec names none. */
  readonly defaultMaxMessageBytes: number;
  /** The retention of a topic whose spec names none (Kafka's log.retention.ms and log.retention.bytes). */
  readonly retention: Retention;
  readonly segmentBytes: number;
  readonly now: () => number;
  readonly observer?: StoreObserver;
}

export interface GroupOffsets {
  readonly groupId: string;
  readonly offsets: readonly TopicPartitionOffset[];
}

/**
 * What a broker would hold for the embedded mode: topics, committed group offsets, producer epochs and
 * group membership. Everything here is synchronous, so an append and the offsets that travel with it
 * become visible in one step: that is the whole of the memory log's transaction atomicity.
 */
export class MemoryStore {
  readonly #topics = new Map<string, PartitionLog[]>();
  readonly #compacted = new Set<string>();
  readonly #appendTime = new Set<string>();
  readonly #maxMessageBytes = new Map<string, number>();
  readonly #committed = new Map<string, Map<string, number>>();
  readonly #epochs = new Map<string, number>();
  readonly #members = new Set<string>();
  readonly #listeners = new Set<() => void>();
  readonly #choosePartition = createPartitionChooser();

  readonly #config: StoreConfig;

  constructor(config: StoreConfig) {
    this.#config = config;
  }

  maxMessageBytes(topic: string): number {
    this.partitions(topic);
    return this.#maxMessageBytes.get(topic) ?? this.#config.defaultMaxMessageBytes;
  }

  /** Every topic and the bytes its partitions hold. */
  retainedBytes(): Array<{ topic: string; bytes: number }> {
    return [...this.#topics].map(([topic, partitions]) => ({ topic, bytes: partitions.reduce((sum, log) => sum + log.bytes, 0) }));
  }

  noteOffsetReset(groupId: string, partition: TopicPartition, from: number, to: number): void {
    this.#config.observer?.offsetReset(groupId, partition, from, to);
  }

  ensureTopic(spec: TopicSpec): void {
    if (this.#topics.has(spec.topic)) return;
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new LogError(LogErrorCode.InvalidState, `Topic ${spec.topic} needs at least one partition, got ${spec.partitions}`);
    }
    const { retention, segmentBytes, now, observer } = this.#config;
    const config = {
      compacted: spec.compacted ?? false,
      retention: { ms: spec.retention?.ms ?? retention.ms, bytes: spec.retention?.bytes ?? retention.bytes },
      segmentBytes,
      now,
      onRemoved: (cause: RemovalCause, records: number, bytes: number) => observer?.removed(spec.topic, cause, records, bytes),
    };
    const partitions = Array.from({ length: spec.partitions }, (_, p) => new PartitionLog(spec.topic, p, config));
    this.#topics.set(spec.topic, partitions);
    if (spec.compacted) this.#compacted.add(spec.topic);
    if (spec.appendTime) this.#appendTime.add(spec.topic);
    if (spec.maxMessageBytes !== undefined) this.#maxMessageBytes.set(spec.topic, spec.maxMessageBytes);
  }

  partitions(topic: string): readonly PartitionLog[] {
    const partitions = this.#topics.get(topic);
    if (!partitions) throw new LogError(LogErrorCode.UnknownTopic, `Topic ${topic} does not exist`);
    return partitions;
  }

  partition({ topic, partition }: TopicPartition): PartitionLog {
    const log = this.partitions(topic)[partition];
    if (!log) throw new LogError(LogErrorCode.UnknownTopic, `Topic ${topic} has no partition ${partition}`);
    return log;
  }

  /** Checks and places each record now, so a bad record fails the `send`, not the commit. */
  route(records: readonly OutgoingRecord[]): RoutedRecord[] {
    return records.map((record) => {
      const partitions = this.partitions(record.topic);
      // Kafka's broker refuses these, as compaction could never decide which record is the newest.
      if (!record.key && this.#compacted.has(record.topic)) {
        throw new LogError(LogErrorCode.InvalidRecord, `Compacted topic ${record.topic} needs a key on every record`);
      }
      const bytes = batchBytes(record);
      const limit = this.maxMessageBytes(record.topic);
      if (bytes > limit) throw new LogError(LogErrorCode.RecordTooLarge, `A record of ${bytes} bytes exceeds max.message.bytes ${limit} of topic ${record.topic}`);
      const partition = record.partition ?? this.#choosePartition(record.topic, partitions.length, record.key ?? null);
      const stamped = this.#appendTime.has(record.topic) ? { ...record, timestamp: undefined } : record;
      return { log: this.partition({ topic: record.topic, partition }), record: stamped };
    });
  }

  /** Appends and commits offsets atomically; a transactional append also leaves commit markers. */
  append(records: readonly RoutedRecord[], options: { transactional: boolean; offsets?: readonly GroupOffsets[] }): void {
    for (const { log, record } of records) log.append(record);
    if (options.transactional) {
      for (const log of new Set(records.map((r) => r.log))) log.appendCommitMarker();
    }
    for (const { groupId, offsets } of options.offsets ?? []) this.commitOffsets(groupId, offsets);
    this.#notify();
  }

  committedOffset(groupId: string, tp: TopicPartition): number | undefined {
    return this.#committed.get(groupId)?.get(partitionKey(tp));
  }

  /** Starts a new epoch for a transactionalId: every producer of an older epoch is fenced. */
  registerProducer(transactionalId: string): number {
    const epoch = (this.#epochs.get(transactionalId) ?? -1) + 1;
    this.#epochs.set(transactionalId, epoch);
    return epoch;
  }

  assertCurrentProducer(transactionalId: string, epoch: number): void {
    if (this.#epochs.get(transactionalId) !== epoch) {
      throw new LogError(LogErrorCode.Fenced, `Producer ${transactionalId} (epoch ${epoch}) was fenced by a newer producer with the same id`);
    }
  }

  join(groupId: string): void {
    if (this.#members.has(groupId)) {
      throw new LogError(LogErrorCode.GroupMemberExists, `Group ${groupId} already has a member; the memory log supports one member per group`);
    }
    this.#members.add(groupId);
  }

  leave(groupId: string): void {
    this.#members.delete(groupId);
  }

  /** Calls `listener` after every change that could make new records or offsets visible. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    let group = this.#committed.get(groupId);
    if (!group) this.#committed.set(groupId, (group = new Map()));
    for (const offset of offsets) group.set(partitionKey(offset), Number(offset.offset));
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
