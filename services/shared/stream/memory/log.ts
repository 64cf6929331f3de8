import type { LogAdmin, LogRecord, RecordLog, TopicPartitionOffset, TopicSpec } from '../types';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../record-size';
import { MemoryConsumer } from './consumer';
import { MemoryProducer, MemoryTransactionalProducer } from './producer';
import { yieldToEventLoop } from './signal';
import { MemoryStore } from './store';

export interface MemoryLogOptions {
  /** Upper bound of records per delivered batch; small enough that one batch never hogs the event loop. */
  readonly maxBatchRecords?: number;
  /** Every topic's `max.message.bytes` (default Kafka's, DEFAULT_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes?: number;
}

/**
 * The embedded mode's log: the same contract as Kafka, in process and deterministic (no timers, no
 * randomness: the same calls in the same order give the same offsets and the same batches).
 * Compaction is not emulated, which readers cannot tell apart from a log the cleaner has not reached yet.
 */
export function createMemoryLog(options: MemoryLogOptions = {}): RecordLog {
  const store = new MemoryStore(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
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
