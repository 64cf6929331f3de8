// An Avro round trip through the real broker: the producer side registers and frames records with
// the embedded registry, an independent consumer decodes them through the registry, including a
// reader on a newer (backward-compatible) schema.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Type, type Schema } from 'avsc';
import type { Kafka } from 'kafkajs';
import { transaction } from '../../../cep/testing';
import { selfContainedSchema, type Transaction } from '../../../schemas';
import { testKafka, uniqueName } from '../../../test/integration/kafka';
import { startRegistryServer, type RunningRegistry } from '../../registry';
import { ensureTopics } from '../kafka';
import { createAvroSerde, type AvroSerde } from './index';

const base: Transaction = transaction({
  transactionId: 'tx-0',
  accountId: 'acc-1',
  merchantId: 'm-7',
  amountMinor: 4_250,
  country: 'FR',
  lat: 48.8566,
  lon: 2.3522,
  channel: 'ECOM',
  deviceId: 'dev-1',
  ip: '203.0.113.9',
  eventTime: 1_767_225_600_000,
});

async function consumeValues(kafka: Kafka, topic: string, count: number): Promise<Buffer[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('avro-reader') });
  const values: Buffer[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${values.length}/${count} records of ${topic}`)), 30000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value as Buffer);
        if (values.length === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return values;
}

describe('Avro through Kafka with the embedded registry', () => {
  let registry: RunningRegistry;
  let kafka: Kafka;
  let serde: AvroSerde;
  beforeAll(async () => {
    registry = await startRegistryServer({ port: 0 });
    serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    kafka = testKafka();
  });
  afterAll(async () => registry.close());

  it('decodes on an independent consumer exactly what was produced', async () => {
    const topic = uniqueName('payments.transactions');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 2 }]);
    await admin.disconnect();

    const id = await serde.register(`${topic}-value`, selfContainedSchema('Transaction'));
    const sent = Array.from({ length: 20 }, (_, i) => ({ ...base, transactionId: `tx-${i}`, amountMinor: 100 * i }));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: await Promise.all(sent.map(async (tx) => ({ key: tx.accountId, value: await serde.encode(id, tx) }))),
    });
    await producer.disconnect();

    // A reader with its own client and cache, as another service would be.
    const reader = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    const received = await Promise.all((await consumeValues(kafka, topic, sent.length)).map((v) => reader.decode<Transaction>(v)));
    const values = received.map((r) => (r.ok ? r.value : r.error.message));
    expect(values).toEqual(sent);
    expect(received.every((r) => r.ok && r.schemaId === id)).toBe(true);
  });

  it('lets a consumer on an evolved schema read records written with the old one', async () => {
    const topic = uniqueName('payments.transactions');
    const subject = `${topic}-value`;
    const v1 = selfContainedSchema('Transaction') as unknown as { fields: object[] } & Record<string, unknown>;
    const v1Id = await serde.register(subject, v1 as Schema);
    const v2 = { ...v1, fields: [...v1.fields, { name: 'terminalId', type: ['null', 'string'], default: null }] } as Schema;
    const v2Id = await serde.register(subject, v2);
    expect(v2Id).not.toBe(v1Id);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: base.accountId, value: await serde.encode(v1Id, base) }] });
    await producer.disconnect();

    const [value] = await consumeValues(kafka, topic, 1);
    const decoded = await serde.decode(value!, { readerSchema: Type.forSchema(v2) });
    expect(decoded).toEqual({ ok: true, schemaId: v1Id, value: { ...base, terminalId: null } });
  });

  it('routes a record that is not in the wire format to a typed error instead of throwing', async () => {
    const topic = uniqueName('payments.transactions');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'acc-1', value: Buffer.from('{"json":"not avro"}') }] });
    await producer.disconnect();
    const [value] = await consumeValues(kafka, topic, 1);
    const decoded = await serde.decode(value!);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error.code).toBe('BAD_MAGIC_BYTE');
  });
});
