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
    const consumerGroupId = uniqueName('patched-group');
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, ({ payload }) => void requests.push(payload.apiName));
    await producer.connect();
    const commitRound = async (round: number) => {
      const transaction = await producer.transaction();
      try {
        await transaction.send({ topic, messages: [{ key: `k${round}`, value: 'v', partition: round % 3 }] });
        await transaction.sendOffsets({ consumerGroupId, topics: [{ topic, partitions: [{ partition: round % 3, offset: '1' }] }] });
        await transaction.commit();
      } catch (err) {
        await transaction.abort().catch(() => undefined);
        throw err;
      }
    };
    let afterFirst = 0;
    try {
      // The first transaction finds both coordinators. A fresh broker refuses offsets
      // (COORDINATOR_NOT_AVAILABLE) until its offsets topic exists, so it is retried until it commits.
      for (let attempt = 1; ; attempt++) {
        try {
          await commitRound(0);
          break;
        } catch (err) {
          if (attempt === 60) throw err;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      afterFirst = requests.length;
      for (let round = 1; round <= 3; round++) await commitRound(round);
    } finally {
      await producer.disconnect();
    }
    const later = requests.slice(afterFirst);
    const count = (apiName: string) => later.filter((name) => name === apiName).length;
    expect(count('EndTxn')).toBe(3);
    expect(count('TxnOffsetCommit')).toBe(3);
    // FindCoordinator, which kafkajs calls GroupCoordinator: unpatched, four per transaction.
    expect(count('GroupCoordinator')).toBe(0);
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
