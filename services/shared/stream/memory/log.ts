import type { Registry } from 'prom-client';
import type { Logger } from '../../log';
import type { LogAdmin, LogRecord, RecordLog, Retention, TopicPartitionOffset, TopicSpec } from '../types';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../record-size';
import { MemoryConsumer } from './consumer';
import { observeMemoryLog } from './observer';
import { MemoryProducer, MemoryTransactionalProducer } from './producer';
import { yieldToEventLoop } from './signal';
import { MemoryStore } from './store';

export interface MemoryLogOptions {
  /** Upper bound of records per delivered batch; small enough that one batch never hogs the event loop. */
  readonly maxBatchRecords?: number;
  /** Every topic's `max.message.bytes` (default Kafka's, DEFAULT_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes?: number;
  /** What a topic keeps unless its spec says otherwise (default KEEP_FOREVER); compacted topics are compacted either way. */
  readonly retention?: Retention;
  /** Size of a partition's segments, the unit retention removes (default DEFAULT_SEGMENT_BYTES). */
  readonly segmentBytes?: number;
  /** The clock records are stamped and aged by (default the wall clock). */
  readonly now?: () => number;
  /** Where the log's retained bytes, removals and offset resets are counted. */
  readonly metrics?: Registry;
  /** Where offset resets are logged. */
  readonly logger?: Logger;
}

/** A broker with retention.ms and retention.bytes of -1: a backtest or a test reads back all it wrote. */
export const KEEP_FOREVER: Retention = { ms: Infinity, bytes: Infinity };
export const DEFAULT_SEGMENT_BYTES = 1_048_576;

/**
 * The embedded mode's log: the same contract as Kafka, in process and deterministic (no timers, no
 * randomness: the same calls in the same order give the same offsets and the same batches). It
 * keeps Kafka's retention, judged when a partition is appended to; time-based retention reads the
 * clock, so only a log given a finite retention time depends on when its calls are made.
 */
export function createMemoryLog(options: MemoryLogOptions = {}): RecordLog {
  const store: MemoryStore = new MemoryStore({
    defaultMaxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    retention: options.retention ?? KEEP_FOREVER,
    segmentBytes: options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    now: options.now ?? Date.now,
    // The gauge reads the store when scraped, long after it exists.
    observer: options.metrics && observeMemoryLog(options.metrics, options.logger, () => store.retainedBytes()),
  });
  const maxBatchRecords = options.maxBatchRecords ?? 500;

  const admin: LogAdmin = {
    async ensureTopics(specs: readonly TopicSpec[]) {
      for (const spec of specs) store.ensureTopic(spec);
    },
    async partitionCount(topic: string) {
      return store.partitions(topic).length;
    },
    async endOffsets(topic: string) {
      return store.partitions(topic).map((log) => ({ topic, partition: log.partition, offset: String(log.end) }));
    },
    async committedOffsets(groupId: string, topic: string) {
      return store.partitions(topic).map(({ partition }) => {
        const offset = store.committedOffset(groupId, { topic, partition });
        return { topic, partition, offset: offset === undefined ? null : String(offset) };
      });
    },
    async maxMessageBytes(topic: string) {
      return store.maxMessageBytes(topic);
    },
  };

  return {
    admin,
    producer: async () => new MemoryProducer(store),
    transactionalProducer: async (transactionalId) => new MemoryTransactionalProducer(store, transactionalId),
    consumer: (consumerOptions) => new MemoryConsumer(store, consumerOptions, maxBatchRecords),
    async readToEnd(from: TopicPartitionOffset, onRecords: (records: readonly LogRecord[]) => Promise<void> | void) {
      const log = store.partition(from);
      const end = log.end;
      let position = Number(from.offset);
      while (position < end) {
        const { records, next } = log.read(position, maxBatchRecords, end);
        if (records.length > 0) await onRecords(records);
        position = next;
        await yieldToEventLoop();
      }
      return String(position);
    },
    async close() {},
  };
}
