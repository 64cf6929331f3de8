import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { LogError, LogErrorCode, asError } from '../errors';
import type { LogAdmin, LogRecord, TopicPartitionOffset } from '../types';
import { toLogError, translated } from './errors';
import { consumerOptions } from './options';
import { toLogRecord } from './records';

/**
 * kafkajs cannot assign a partition by hand, so the reader is the only member of a throwaway group
 * (nothing is ever committed for it): it seeks the wanted partition and pauses the others. The end is
 * the read-committed end offset taken up front. Progress is tracked through kafkajs's end-of-batch
 * event rather than the records, because a tail of aborted records or commit markers reaches no handler
 * but still moves the position to the end.
 */
export async function readToEnd(
  kafka: Kafka,
  admin: LogAdmin,
  from: TopicPartitionOffset,
  onRecords: (records: readonly LogRecord[]) => Promise<void> | void,
): Promise<string> {
  const { topic, partition } = from;
  const partitions = await admin.endOffsets(topic);
  const end = partitions.find((p) => p.partition === partition)?.offset;
  if (end === undefined) throw new LogError(LogErrorCode.UnknownTopic, `Topic ${topic} has no partition ${partition}`);
  const start = BigInt(from.offset);
  if (start >= BigInt(end)) return from.offset;

  const consumer = kafka.consumer(consumerOptions(`peregrine-reader-${randomUUID()}`));
  const finished = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === topic && payload.partition === partition && BigInt(payload.lastOffset) + 1n >= BigInt(end)) resolve();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(toLogError(payload.error, `read ${topic}[${partition}]`)));
    void translated(`read ${topic}[${partition}]`, async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.topic !== topic || batch.partition !== partition) return;
          // A batch may start before the seek took effect or run past the end taken up front.
          const records = batch.messages
            .filter((m) => BigInt(m.offset) >= start && BigInt(m.offset) < BigInt(end))
            .map((m) => toLogRecord(topic, partition, m));
          if (records.length > 0) await Promise.resolve(onRecords(records)).catch((error: unknown) => reject(asError(error)));
        },
      });
      consumer.seek({ topic, partition, offset: from.offset });
      const others = partitions.map((p) => p.partition).filter((p) => p !== partition);
      if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    }).catch(reject);
  });
  try {
    await finished;
    return end;
  } finally {
    await consumer.disconnect();
  }
}
