// The patches/ fixes to kafkajs, observed on the real broker: if `npm ci` stops applying them (a
// kafkajs upgrade, a lost postinstall), these fail.
import type { Kafka } from 'kafkajs';
import { testKafka, uniqueName } from '../../../../test/integration/kafka';
import { PRODUCER_OPTIONS } from './options';

describe('kafkajs as patched', () => {
  let kafka: Kafka;
  const topic = uniqueName('patched');

  beforeAll(async () => {
    kafka = testKafka('kafkajs-patches');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
  });

  it('asks for the transaction and group coordinators once, not before every transactional request', async () => {
    const producer = kafka.producer({ ...PRODUCER_OPTIONS, transactionalId: uniqueName('patched-tx') });
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, ({ payload }) => void requests.push(payload.apiName));
    await producer.connect();
    try {
      for (let round = 0; round < 3; round++) {
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: [{ key: `k${round}`, value: 'v', partition: round }] });
        await transaction.sendOffsets({ consumerGroupId: uniqueName('patched-group'), topics: [{ topic, partitions: [{ partition: round, offset: '1' }] }] });
        await transaction.commit();
      }
    } finally {
      await producer.disconnect();
    }
    const count = (apiName: string) => requests.filter((name) => name === apiName).length;
    expect(count('EndTxn')).toBe(3);
    expect(count('TxnOffsetCommit')).toBe(3);
    // FindCoordinator (kafkajs calls it GroupCoordinator): the transaction coordinator once, and once
    // per consumer group (three groups here).
    expect(count('GroupCoordinator')).toBe(1 + 3);
  });

  it('groups a send of many records by partition, keeping each partition in order', async () => {
    const producer = kafka.producer(PRODUCER_OPTIONS);
    await producer.connect();
    const messages = Array.from({ length: 3_000 }, (_, index) => ({ value: String(index), partition: index % 3 }));
    await producer.send({ topic, messages });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueName('patched-read') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Map<number, number[]>();
    await new Promise<void>((resolve) => {
      let total = 0;
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const value = message.value?.toString() ?? '';
          if (value === 'v') return; // the first test's transactional records
          seen.set(partition, [...(seen.get(partition) ?? []), Number(value)]);
          if (++total === messages.length) resolve();
        },
      });
    });
    await consumer.disconnect();
    for (const partition of [0, 1, 2]) {
      expect(seen.get(partition)).toEqual(messages.filter((m) => m.partition === partition).map((m) => Number(m.value)));
    }
  });
});
