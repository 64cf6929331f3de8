// The behaviour every RecordLog must have, run against the memory log (unit project) and against a real
// broker (integration project). A test here states what the scorer's exactly-once design relies on;
// "not delivered" is always proven against a later record that was delivered, never by waiting alone.
import { Partitioners } from 'kafkajs';
import { uniqueName } from '../../../test/integration/kafka';
import { LogErrorCode, isFenced } from './errors';
import { DEFAULT_MAX_MESSAGE_BYTES, batchBytes } from './record-size';
import type { ConsumerHandlers, GroupConsumer, LogRecord, RecordLog, TopicPartition } from './types';

const WAIT_MS = 45_000;

export function describeLogContract(name: string, createLog: () => RecordLog | Promise<RecordLog>): void {
  describe(`${name}: record log contract`, () => {
    let log: RecordLog;
    const cleanups: Array<() => Promise<void>> = [];
    /** A consumer crash the test did not ask for: fail at once instead of waiting for records in vain. */
    let unexpectedCrash: Error | undefined;
    const eventually = (condition: () => boolean, what: string) =>
      waitFor(() => {
        if (unexpectedCrash) throw unexpectedCrash;
        return condition();
      }, what);

    beforeAll(async () => {
      log = await createLog();
    });
    afterEach(async () => {
      unexpectedCrash = undefined;
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    afterAll(() => log.close());

    async function createTopic(partitions = 1, compacted = false): Promise<string> {
      const topic = uniqueName('contract');
      await log.admin.ensureTopics([{ topic, partitions, compacted }]);
      return topic;
    }

    async function send(topic: string, values: string[], fields: { key?: string; partition?: number } = {}): Promise<void> {
      const producer = await log.producer();
      try {
        await producer.send(values.map((value) => ({ topic, value: Buffer.from(value), key: fields.key ? Buffer.from(fields.key) : null, partition: fields.partition })));
      } finally {
        await producer.close();
      }
    }

    async function transactional(transactionalId = uniqueName('tx')) {
      const producer = await log.transactionalProducer(transactionalId);
      cleanups.push(() => producer.close());
      return producer;
    }

    /**
     * Runs a consumer that records every record it is given; stopped after the test. Handlers may need
     * the consumer itself (to seek or pause from a batch), which exists before the first batch.
     */
    async function consume(
      topics: string[],
      handlersOf: Partial<ConsumerHandlers> | ((consumer: GroupConsumer) => Partial<ConsumerHandlers>) = {},
      groupId = uniqueName('group'),
    ) {
      const records: LogRecord[] = [];
      const consumer = log.consumer({ groupId, topics });
      const handlers = typeof handlersOf === 'function' ? handlersOf(consumer) : handlersOf;
      let stopped = false;
      const stop = async () => {
        if (!stopped) await consumer.stop();
        stopped = true;
      };
      cleanups.push(stop);
      await consumer.run({
        onCrash: (error) => (unexpectedCrash = error),
        ...handlers,
        eachBatch: async (batch) => {
          records.push(...batch.records);
          await handlers.eachBatch?.(batch);
        },
      });
      return { consumer, records, stop, values: () => records.map(text) };
    }

    it('keeps the records of a partition in the order they were sent, with increasing offsets', async () => {
      const topic = await createTopic(3);
      const sent = Array.from({ length: 30 }, (_, i) => `r${i}`);
      for (let i = 0; i < sent.length; i += 10) await send(topic, sent.slice(i, i + 10), { key: 'account-7' });
      const { records, values } = await consume([topic]);
      await eventually(() => records.length >= sent.length, 'all records');
      expect(values()).toEqual(sent);
      expect(new Set(records.map((r) => r.partition)).size).toBe(1);
      const offsets = records.map((r) => BigInt(r.offset));
      expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1])).toBe(true);
    });

    it("puts a keyed record on the partition kafkajs's default partitioner picks, or on the one it names", async () => {
      const topic = await createTopic(6);
      const keys = Array.from({ length: 24 }, (_, i) => `account-${i}`);
      const producer = await log.producer();
      await producer.send(keys.map((key) => ({ topic, key: Buffer.from(key), value: Buffer.from(key) })));
      await producer.send([{ topic, key: Buffer.from('account-0'), value: Buffer.from('forced'), partition: 5 }]);
      await producer.close();
      const { records } = await consume([topic]);
      await eventually(() => records.length >= keys.length + 1, 'all records');
      const choose = Partitioners.DefaultPartitioner();
      const expected = (key: string) => choose({ topic, partitionMetadata: partitionMetadata(6), message: { key: Buffer.from(key), value: null } });
      for (const record of records) {
        expect(record.partition).toBe(text(record) === 'forced' ? 5 : expected(text(record)));
        expect(record.key?.toString()).toBe(text(record) === 'forced' ? 'account-0' : text(record));
      }
      expect(new Set(keys.map(expected)).size).toBeGreaterThan(1);
    });

    it('shows committed transactions and hides aborted ones from a group consumer', async () => {
      const topic = await createTopic();
      const producer = await transactional();
      await inTransaction(producer, topic, ['aborted-1', 'aborted-2'], 'abort');
      await inTransaction(producer, topic, ['committed-1'], 'commit');
      await inTransaction(producer, topic, ['end'], 'commit');
      const { records, values } = await consume([topic]);
      await eventually(() => values().includes('end'), 'the last committed record');
      expect(values()).toEqual(['committed-1', 'end']);
      expect(records.every((r) => r.topic === topic && r.partition === 0)).toBe(true);
    });

    it('tells a group consumer how far it has read, past the markers and aborted records after its last record', async () => {
      const topic = await createTopic();
      const producer = await transactional();
      let reached = 0n;
      const reach = (offset: string) => (reached = BigInt(offset) > reached ? BigInt(offset) : reached);
      const end = async () => BigInt((await log.admin.endOffsets(topic))[0]!.offset);
      const { values } = await consume([topic], { eachBatch: async (batch) => void reach(batch.nextOffset), onProgress: (progress) => void reach(progress.nextOffset) });
      await inTransaction(producer, topic, ['committed'], 'commit');
      await eventually(() => values().includes('committed'), 'the committed record');
      const afterCommit = await end();
      expect(afterCommit).toBeGreaterThan(1n); // the record and its commit marker
      await eventually(() => reached === afterCommit, `a reach of ${afterCommit} (the end offset), past the commit marker`);
      await inTransaction(producer, topic, ['aborted-1', 'aborted-2'], 'abort');
      const afterAbort = await end();
      await eventually(() => reached === afterAbort, `a reach of ${afterAbort} (the end offset), past the aborted transaction`);
      expect(values()).toEqual(['committed']);
    });

    it('hides an open transaction, from consumers, end offsets and readers, until it commits', async () => {
      const [topic, probe] = [await createTopic(), await createTopic()];
      const producer = await transactional();
      const open = await producer.beginTransaction();
      await open.send([{ topic, value: Buffer.from('pending') }]);
      expect(await log.admin.endOffsets(topic)).toEqual([{ topic, partition: 0, offset: '0' }]);
      const restored: LogRecord[] = [];
      expect(await log.readToEnd({ topic, partition: 0, offset: '0' }, (batch) => void restored.push(...batch))).toBe('0');
      expect(restored).toEqual([]);

      const { values } = await consume([topic, probe]);
      await send(probe, ['probe']);
      await eventually(() => values().includes('probe'), 'the probe record');
      expect(values()).toEqual(['probe']);

      await open.commit();
      await eventually(() => values().includes('pending'), 'the committed record');
      expect(BigInt((await log.admin.endOffsets(topic))[0].offset)).toBeGreaterThan(0n);
    });

    it('commits offsets sent in a transaction only if the transaction commits', async () => {
      const topic = await createTopic();
      const groupId = uniqueName('group');
      await send(topic, ['a', 'b', 'c', 'd']);
      const transactionalId = uniqueName('task');
      const producer = await transactional(transactionalId);
      const offsets = [{ topic, partition: 0, offset: '2' }];

      const aborted = await producer.beginTransaction();
      await aborted.sendOffsets({ groupId, offsets });
      await aborted.abort();
      expect(await firstValueSeenBy(groupId, topic)).toBe('a');

      expect(await log.admin.committedOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: null }]);

      const committed = await producer.beginTransaction();
      await committed.sendOffsets({ groupId, offsets });
      await committed.commit();
      // As a restarted task does: its new producer waits until the predecessor's commit is complete.
      await transactional(transactionalId);
      expect(await log.admin.committedOffsets(groupId, topic)).toEqual(offsets);
      expect(await firstValueSeenBy(groupId, topic)).toBe('c');
    });

    it('resumes a restarted group member from its committed offset', async () => {
      const topic = await createTopic();
      const groupId = uniqueName('group');
      await send(topic, ['a', 'b', 'c']);
      const first = await consume([topic], {}, groupId);
      await eventually(() => first.records.length >= 3, 'the first three records');
      await first.consumer.commitOffsets([{ topic, partition: 0, offset: nextOffset(first.records.at(-1)!) }]);
      await first.stop();

      await send(topic, ['d', 'e']);
      const second = await consume([topic], {}, groupId);
      await eventually(() => second.records.length >= 2, 'the two new records');
      expect(first.values()).toEqual(['a', 'b', 'c']);
      expect(second.values()).toEqual(['d', 'e']);
    });

    it('reads one partition to its end, committed records only, from any offset', async () => {
      const topic = await createTopic(3, true);
      await send(topic, ['x0', 'x1'], { partition: 1, key: 'x' });
      await send(topic, ['elsewhere'], { partition: 0, key: 'y' });
      const taskId = uniqueName('task');
      await inTransaction(await transactional(taskId), topic, ['x2'], 'commit', 1);
      // A task restores after creating its producer, which waits until the predecessor's commit is complete.
      const zombie = await transactional(taskId);
      const restored: LogRecord[] = [];
      const reached = await log.readToEnd({ topic, partition: 1, offset: '0' }, (batch) => void restored.push(...batch));
      expect(restored.map(text)).toEqual(['x0', 'x1', 'x2']);
      expect(restored.every((r) => r.partition === 1)).toBe(true);
      expect(reached).toBe((await log.admin.endOffsets(topic))[1].offset);

      // A tail of nothing but an aborted transaction, as a fenced zombie leaves it: no record to see,
      // yet the reader must get to the end.
      const open = await zombie.beginTransaction();
      await open.send([{ topic, partition: 1, key: Buffer.from('x'), value: Buffer.from('x-aborted') }]);
      await transactional(taskId);
      const none: LogRecord[] = [];
      const reachedAgain = await log.readToEnd({ topic, partition: 1, offset: reached }, (batch) => void none.push(...batch));
      expect(none).toEqual([]);
      expect(reachedAgain).toBe((await log.admin.endOffsets(topic))[1].offset);

      const tail: LogRecord[] = [];
      await log.readToEnd({ topic, partition: 1, offset: restored[1].offset }, (batch) => void tail.push(...batch));
      expect(tail.map(text)).toEqual(['x1', 'x2']);
      expect(await log.readToEnd({ topic, partition: 2, offset: '0' }, () => {
        throw new Error('partition 2 is empty');
      })).toBe('0');
    });

    it('fences an older transactional producer once a newer one with the same id is initialised', async () => {
      const topic = await createTopic();
      const transactionalId = uniqueName('task');
      const zombie = await transactional(transactionalId);
      const stale = await zombie.beginTransaction();
      await stale.send([{ topic, value: Buffer.from('zombie') }]);

      const current = await transactional(transactionalId);
      const failure = await stale.commit().then(() => undefined, (error: unknown) => error);
      expect(failure).toMatchObject({ code: LogErrorCode.Fenced, retriable: false });
      expect(isFenced(failure)).toBe(true);
      await inTransaction(current, topic, ['current'], 'commit');

      const { values } = await consume([topic]);
      await eventually(() => values().includes('current'), 'the current producer’s record');
      expect(values()).toEqual(['current']);
    });

    it('delivers nothing from a paused partition until it is resumed, even a batch fetched already', async () => {
      const topic = await createTopic(2);
      await send(topic, ['p0-a'], { partition: 0 });
      await send(topic, ['p1-a'], { partition: 1 });
      let first: number | undefined;
      // Both partitions have data, so one fetch may bring both batches; the first handler pauses the other.
      const { consumer, records } = await consume([topic], (self) => ({
        eachBatch: async ({ partition }) => {
          if (first !== undefined) return;
          first = partition;
          self.pause([{ topic, partition: 1 - partition }]);
        },
      }));
      await eventually(() => first !== undefined, 'the first batch');
      const running = first!;
      const held = 1 - running;
      await send(topic, ['later'], { partition: running });
      await eventually(() => records.some((r) => text(r) === 'later'), 'the record sent after the pause');
      expect(records.filter((r) => r.partition === held)).toEqual([]);

      consumer.resume([{ topic, partition: held }]);
      await eventually(() => records.some((r) => r.partition === held), 'the record of the resumed partition');
      expect(records.filter((r) => r.partition === held).map(text)).toEqual([`p${held}-a`]);
    });

    it('redelivers from the offset a batch handler seeks to', async () => {
      const topic = await createTopic();
      await send(topic, ['a', 'b', 'c']);
      const seen: LogRecord[] = [];
      const run = await consume([topic], (consumer) => ({
        eachBatch: async ({ records }) => {
          seen.push(...records);
          if (seen.length === 3) consumer.seek({ topic, partition: 0, offset: seen[1].offset });
        },
      }));
      await eventually(() => run.records.length >= 5, 'the redelivered records');
      expect(run.values()).toEqual(['a', 'b', 'c', 'b', 'c']);
    });

    it('starts a partition at the offset onAssigned seeks to', async () => {
      const topic = await createTopic();
      await send(topic, ['a', 'b', 'c']);
      const { records, values } = await consume([topic], (self) => ({
        onAssigned: () => self.seek({ topic, partition: 0, offset: '1' }),
      }));
      await eventually(() => values().includes('c'), 'the last record');
      expect(values()).toEqual(['b', 'c']);
      expect(records[0].offset).toBe('1');
    });

    it('awaits onAssigned before the first batch and reports the assignment as revoked on stop', async () => {
      const topic = await createTopic(2);
      await send(topic, ['a'], { partition: 0 });
      await send(topic, ['b'], { partition: 1 });
      const events: string[] = [];
      const { records, stop } = await consume([topic], {
        onAssigned: async (partitions) => {
          events.push('assigning');
          await new Promise((resolve) => setTimeout(resolve, 200));
          events.push(`assigned ${describePartitions(partitions)}`);
        },
        onRevoked: (partitions) => void events.push(`revoked ${describePartitions(partitions)}`),
        eachBatch: async () => void events.push('batch'),
      });
      await eventually(() => records.length >= 2, 'both records');
      await stop();
      expect(events.slice(0, 2)).toEqual(['assigning', `assigned ${topic}:0 ${topic}:1`]);
      expect(events.at(-1)).toBe(`revoked ${topic}:0 ${topic}:1`);
      expect(events.filter((e) => e === 'batch').length).toBe(events.length - 3);
    });

    it('stops a consumer whose handler throws, reports the error and commits nothing', async () => {
      const topic = await createTopic();
      const groupId = uniqueName('group');
      await send(topic, ['a', 'b']);
      const crashes: Error[] = [];
      const boom = new Error('handler failed');
      let batches = 0;
      const failing = await consume(
        [topic],
        {
          eachBatch: async () => {
            batches++;
            throw boom;
          },
          onCrash: (error) => void crashes.push(error),
        },
        groupId,
      );
      await eventually(() => crashes.length > 0, 'the crash report');
      await failing.stop();
      expect(crashes).toEqual([boom]);
      expect(batches).toBe(1);
      expect(await firstValueSeenBy(groupId, topic)).toBe('a');
    });

    it('creates topics once and reports partition counts and end offsets', async () => {
      const topic = await createTopic(2);
      await log.admin.ensureTopics([{ topic, partitions: 5 }]);
      expect(await log.admin.partitionCount(topic)).toBe(2);
      await send(topic, ['a', 'b'], { partition: 1 });
      expect(await log.admin.endOffsets(topic)).toEqual([
        { topic, partition: 0, offset: '0' },
        { topic, partition: 1, offset: '2' },
      ]);
      await expect(log.admin.partitionCount(uniqueName('missing'))).rejects.toMatchObject({ code: LogErrorCode.UnknownTopic });
    });

    it('stamps records of an append-time topic with the time of the write, not the producer\'s', async () => {
      const topic = uniqueName('contract');
      await log.admin.ensureTopics([{ topic, partitions: 1, appendTime: true }]);
      const before = Date.now();
      const producer = await log.producer();
      await producer.send([{ topic, value: Buffer.from('dated 1999'), timestamp: Date.UTC(1999, 0, 1) }]);
      await producer.close();
      const read: LogRecord[] = [];
      await log.readToEnd({ topic, partition: 0, offset: '0' }, (batch) => void read.push(...batch));
      expect(read.map(text)).toEqual(['dated 1999']);
      // The broker's clock may trail this process's by a little.
      expect(read[0].timestamp).toBeGreaterThanOrEqual(before - 1_000);
    });

    it('keeps records of a history topic stamped years back or a day ahead', async () => {
      const topic = uniqueName('contract');
      await log.admin.ensureTopics([{ topic, partitions: 1, history: true }]);
      const producer = await log.producer();
      await producer.send([
        { topic, value: Buffer.from('dated 2001'), timestamp: Date.UTC(2001, 0, 1) },
        { topic, value: Buffer.from('dated tomorrow'), timestamp: Date.now() + 86_400_000 },
      ]);
      await producer.close();
      const read: LogRecord[] = [];
      await log.readToEnd({ topic, partition: 0, offset: '0' }, (batch) => void read.push(...batch));
      expect(read.map(text)).toEqual(['dated 2001', 'dated tomorrow']);
    });

    it('refuses a record without a key on a compacted topic', async () => {
      const topic = await createTopic(1, true);
      await expect(send(topic, ['keyless'])).rejects.toMatchObject({ code: LogErrorCode.InvalidRecord, retriable: false });
      await send(topic, ['keyed'], { key: 'account-1' });
      expect(await log.admin.endOffsets(topic)).toEqual([{ topic, partition: 0, offset: '1' }]);
    });

    it("takes a send of many records that fit the topic's max.message.bytes one by one but not together, in a transaction too", async () => {
      const topic = uniqueName('contract-narrow');
      await log.admin.ensureTopics([{ topic, partitions: 1, maxMessageBytes: 4_000 }]);
      const records = (prefix: string) => Array.from({ length: 12 }, (_, i) => ({ topic, key: Buffer.from(`${prefix}${i}`), value: Buffer.alloc(1_000, i) }));
      const producer = await log.producer();
      try {
        await producer.send(records('plain-'));
      } finally {
        await producer.close();
      }
      const transaction = await (await transactional()).beginTransaction();
      await transaction.send(records('tx-'));
      await transaction.commit();
      const read: LogRecord[] = [];
      await log.readToEnd({ topic, partition: 0, offset: '0' }, (batch) => void read.push(...batch));
      expect(read.map((r) => r.key?.toString())).toEqual([...records('plain-'), ...records('tx-')].map((r) => r.key.toString()));
    });

    it('reports max.message.bytes and refuses a larger record, in a transaction too, keeping the rest of the log', async () => {
      const topic = await createTopic();
      const limit = await log.admin.maxMessageBytes(topic);
      expect(limit).toBe(DEFAULT_MAX_MESSAGE_BYTES);
      const small = uniqueName('contract-small');
      await log.admin.ensureTopics([{ topic: small, partitions: 1, maxMessageBytes: 2_000 }]);
      expect(await log.admin.maxMessageBytes(small)).toBe(2_000);
      const fitting = { topic, key: Buffer.from('k'), value: Buffer.alloc(limit - batchBytes({ key: Buffer.from('k'), value: Buffer.alloc(0) }), 1) };
      expect(batchBytes(fitting)).toBe(limit);
      const producer = await log.producer();
      try {
        await producer.send([fitting]);
        await expect(producer.send([{ topic, value: Buffer.alloc(limit + 1_000) }])).rejects.toMatchObject({ code: LogErrorCode.RecordTooLarge, retriable: false });
      } finally {
        await producer.close();
      }
      const transaction = await (await transactional()).beginTransaction();
      const refused = transaction.send([{ topic, value: Buffer.from('small') }, { topic, value: Buffer.alloc(limit + 1_000) }]).then(() => transaction.commit());
      await expect(refused).rejects.toMatchObject({ code: LogErrorCode.RecordTooLarge });
      await transaction.abort().catch(() => undefined);
      const read: LogRecord[] = [];
      await log.readToEnd({ topic, partition: 0, offset: '0' }, (batch) => void read.push(...batch));
      expect(read.map((r) => r.value?.length)).toEqual([fitting.value.length]);
    });

    async function firstValueSeenBy(groupId: string, topic: string): Promise<string> {
      const run = await consume([topic], {}, groupId);
      await eventually(() => run.records.length > 0, `a record for group ${groupId}`);
      await run.stop();
      return text(run.records[0]);
    }
  });
}

type Transactional = Awaited<ReturnType<RecordLog['transactionalProducer']>>;

async function inTransaction(producer: Transactional, topic: string, values: string[], end: 'commit' | 'abort', partition?: number): Promise<void> {
  const transaction = await producer.beginTransaction();
  await transaction.send(values.map((value) => ({ topic, partition, key: Buffer.from(value), value: Buffer.from(value) })));
  await (end === 'commit' ? transaction.commit() : transaction.abort());
}

function text(record: LogRecord): string {
  return record.value?.toString() ?? '';
}

function nextOffset(record: LogRecord): string {
  return String(BigInt(record.offset) + 1n);
}

function describePartitions(partitions: TopicPartition[]): string {
  return partitions
    .map((p) => `${p.topic}:${p.partition}`)
    .sort()
    .join(' ');
}

function partitionMetadata(count: number) {
  return Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
