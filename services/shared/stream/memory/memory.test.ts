import { describeLogContract } from '../contract';
import { LogErrorCode } from '../errors';
import type { PartitionBatch } from '../types';
import { createMemoryLog } from './log';

describeLogContract('memory log', () => createMemoryLog());
// Segments of a few records each: the contract must hold across segment edges and compaction passes.
describeLogContract('memory log in small segments', () => createMemoryLog({ segmentBytes: 200 }));

describe('memory log', () => {
  it('refuses a second member of a running group, and admits one after the first stops', async () => {
    const log = createMemoryLog();
    await log.admin.ensureTopics([{ topic: 'payments', partitions: 2 }]);
    const first = log.consumer({ groupId: 'scorer', topics: ['payments'] });
    await first.run({ eachBatch: async () => {} });
    const second = log.consumer({ groupId: 'scorer', topics: ['payments'] });
    await expect(second.run({ eachBatch: async () => {} })).rejects.toMatchObject({ code: LogErrorCode.GroupMemberExists });
    await first.stop();
    await second.run({ eachBatch: async () => {} });
    await second.stop();
  });

  it('delivers bounded batches, taking turns between partitions', async () => {
    const log = createMemoryLog({ maxBatchRecords: 10 });
    await log.admin.ensureTopics([{ topic: 'payments', partitions: 2 }]);
    const producer = await log.producer();
    for (const partition of [0, 1]) {
      await producer.send(Array.from({ length: 25 }, (_, i) => ({ topic: 'payments', partition, value: Buffer.from(String(i)) })));
    }
    const batches: PartitionBatch[] = [];
    const consumer = log.consumer({ groupId: 'g', topics: ['payments'] });
    await consumer.run({ eachBatch: async (batch) => void batches.push(batch) });
    while (batches.length < 6) await new Promise((resolve) => setImmediate(resolve));
    await consumer.stop();
    expect(batches.map((b) => [b.partition, b.records.length])).toEqual([
      [0, 10], [1, 10], [0, 10], [1, 10], [0, 5], [1, 5],
    ]);
    expect(batches.every((b) => b.highWatermark === '25')).toBe(true);
  });

  it('spreads keyless records round robin from partition 0, the same way on every run', async () => {
    const partitionsOfRun = async () => {
      const log = createMemoryLog();
      await log.admin.ensureTopics([{ topic: 'events', partitions: 3 }]);
      const producer = await log.producer();
      await producer.send(Array.from({ length: 4 }, () => ({ topic: 'events', value: Buffer.from('x') })));
      return (await log.admin.endOffsets('events')).map((p) => p.offset);
    };
    expect(await partitionsOfRun()).toEqual(['2', '1', '1']);
    expect(await partitionsOfRun()).toEqual(['2', '1', '1']);
  });

  it('leaves a commit-marker offset after each transaction, as Kafka does', async () => {
    const log = createMemoryLog();
    await log.admin.ensureTopics([{ topic: 'scored', partitions: 1 }]);
    const producer = await log.transactionalProducer('scorer-0');
    for (const value of ['a', 'b']) {
      const transaction = await producer.beginTransaction();
      await transaction.send([{ topic: 'scored', value: Buffer.from(value) }]);
      await transaction.commit();
    }
    const offsets: string[] = [];
    await log.readToEnd({ topic: 'scored', partition: 0, offset: '0' }, (records) => void offsets.push(...records.map((r) => r.offset)));
    expect(offsets).toEqual(['0', '2']);
  });
});
