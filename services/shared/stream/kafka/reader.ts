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
const TAIL_QUIET_MS = 1_000;
/** Offsets a tail of commit markers can plausibly take: one per transaction of each writer. */
const MARKER_TAIL = 64n;
/** A longer tail (aborted records) is believed only after the consumer had time for several fetches. */
const LONG_TAIL_QUIET_MS = 15_000;

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
  const endOffset = BigInt(end);
  /** The next offset to hand over; a batch fetched before the seek took effect may repeat records. */
  let next = BigInt(from.offset);
  if (next >= endOffset) return from.offset;

  const consumer = kafka.consumer(consumerOptions(`peregrine-reader-${randomUUID()}`));
  let failed = false;
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      failed = true;
      reject(error);
    };
    // kafkajs reports an empty batch's last offset as the high watermark - 1: both for a tail of
    // aborted records or commit markers (the read is done) and for a fetch whose records all lie
    // before the position it filters from (the read is not). Only records handed over prove the end;
    // an empty batch claiming it must be followed by a quiet spell before it is believed.
    let tailTimer: NodeJS.Timeout | undefined;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic || payload.partition !== partition) return;
      clearTimeout(tailTimer);
      if (next >= endOffset) resolve();
      else if (BigInt(payload.lastOffset) + 1n >= endOffset) {
        // A short gap is what trailing commit markers leave; a long one means records are still coming.
        tailTimer = setTimeout(resolve, endOffset - next <= MARKER_TAIL ? TAIL_QUIET_MS : LONG_TAIL_QUIET_MS);
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) fail(toLogError(payload.error, `read ${topic}[${partition}]`));
    });
    void translated(`read ${topic}[${partition}]`, async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (failed || batch.topic !== topic || batch.partition !== partition) return;
          const records = batch.messages
            .filter((m) => BigInt(m.offset) >= next && BigInt(m.offset) < endOffset)
            .map((m) => toLogRecord(topic, partition, m));
          if (records.length === 0) return;
          clearTimeout(tailTimer);
          next = BigInt(records[records.length - 1].offset) + 1n;
          await Promise.resolve(onRecords(records)).catch((error: unknown) => fail(asError(error)));
        },
      });
    }).catch(fail);
    // Seeking right after run() races the group join on a fresh topic ("Consumer group was not
    // initialized"); on every join the group exists, and a rejoin resumes at the next record to hand over.
    const others = partitions.map((p) => p.partition).filter((p) => p !== partition);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      try {
        consumer.seek({ topic, partition, offset: next.toString() });
        if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
      } catch (error) {
        fail(toLogError(error, `seek ${topic}[${partition}]`));
      }
    });
  });
  try {
    await finished;
    return end;
  } finally {
    await consumer.disconnect();
  }
}
