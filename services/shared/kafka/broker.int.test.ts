// What the pipeline relies on from the broker and kafkajs: transactional visibility for
// read-committed consumers, and group offsets that outlive a consumer.
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { testKafka, uniqueName } from '../../../test/integration/kafka';
import { ensureTopics } from './topics';

function collect(consumer: Consumer, topic: string): { values: string[]; waitFor(n: number): Promise<void> } {
  const values: string[] = [];
  let wake = () => undefined as void;
  void consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      values.push(message.value?.toString() ?? '');
      wake();
    },
  });
  return {
    values,
    waitFor: (n) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`saw ${values.length}/${n} messages on ${topic}`)), 30000);
        const check = () => {
          if (values.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake = check;
        check();
      }),
  };
}

describe('Kafka broker', () => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = testKafka();
  });

  it('shows a committed transaction and hides an aborted one from a read-committed consumer', async () => {
    const topic = uniqueName('txn');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 1 }]);
    await admin.disconnect();

    const producer = kafka.producer({ transactionalId: uniqueName('tx-producer'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed-1' }] });
    await committed.commit();
    // A marker after both so the consumer has provably read past the aborted records.
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ value: 'end' }] });
    await last.commit();
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('rc'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = collect(consumer, topic);
    await seen.waitFor(2);
    await consumer.disconnect();
    expect(seen.values).toEqual(['committed-1', 'end']);
  });

  it('resumes a consumer group from its committed offset after a restart', async () => {
    const topic = uniqueName('offsets');
    const groupId = uniqueName('group');
    const producer = kafka.producer();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 1 }]);
    await producer.connect();
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) });

    const first = kafka.consumer({ groupId });
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    const firstRun = collect(first, topic);
    await firstRun.waitFor(3);
    await first.disconnect(); // commits resolved offsets on the way out

    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0].partitions[0].offset).toBe('3');

    await producer.send({ topic, messages: ['d', 'e'].map((value) => ({ value })) });
    const second = kafka.consumer({ groupId });
    await second.connect();
    await second.subscribe({ topic, fromBeginning: true });
    const secondRun = collect(second, topic);
    await secondRun.waitFor(2);
    await second.disconnect();
    await producer.disconnect();
    await admin.disconnect();

    expect(firstRun.values).toEqual(['a', 'b', 'c']);
    expect(secondRun.values).toEqual(['d', 'e']);
  });
});
