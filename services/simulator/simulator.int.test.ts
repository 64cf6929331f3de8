// A small run published to the real broker through the embedded registry, then every topic read back
// by an independent consumer: the counts match the summary and every well-formed value decodes.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { testKafka, uniqueName } from '../../test/integration/kafka';
import { startRegistryServer, type RunningRegistry } from '../registry';
import { createAvroSerde } from '../shared/serde';
import { createKafkaLog, type RecordLog } from '../shared/stream';
import { createSimulatorTopics } from './kafka-topics';
import { MALFORMED_KINDS } from './malformed';
import { topicNames } from '../shared/topics';
import { runSimulation } from './run';

/** Reads the topics from the beginning with a consumer of its own until `expected` records arrived. */
async function consumeAll(kafka: Kafka, topics: string[], expected: number): Promise<Map<string, KafkaMessage[]>> {
  const byTopic = new Map<string, KafkaMessage[]>(topics.map((t) => [t, []]));
  let received = 0;
  const consumer = kafka.consumer({ groupId: uniqueName('sim-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${received}/${expected} records`)), 60_000);
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          byTopic.get(topic)!.push(message);
          if (++received === expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return byTopic;
}

describe('simulator on Kafka', () => {
  let registry: RunningRegistry;
  let kafka: Kafka;
  let log: RecordLog;
  beforeAll(async () => {
    registry = await startRegistryServer({ port: 0 });
    kafka = testKafka('simulator-test');
    log = await createKafkaLog(kafka);
  });
  afterAll(async () => {
    await log.close();
    await registry.close();
  });

  it('publishes every topic, and reads back what the summary counts', async () => {
    const run = uniqueName('sim');
    const topics = topicNames(run);
    const inputs = [topics.transactions, topics.profiles, topics.authEvents, topics.labels];
    const options = { rate: 0, count: 2_000, accounts: 4_000, partitions: 2, malformed: 9, lateRatio: 0.01, namespace: run };
    await createSimulatorTopics(kafka, options);
    const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });

    const summary = await runSimulation(options, { log, serde });

    const expected = Object.values(summary.records).reduce((a, b) => a + b, 0);
    const published = await consumeAll(kafka, inputs, expected);
    const reader = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    let failures = 0;
    for (const topic of inputs) {
      const records = published.get(topic)!;
      expect(records).toHaveLength(summary.records[topic]!);
      for (const record of records) {
        const decoded = await reader.decode(record.value);
        if (!decoded.ok) failures++;
      }
    }
    const undecodable = Object.entries(MALFORMED_KINDS).filter(([, reason]) => ['BAD_MAGIC_BYTE', 'UNKNOWN_SCHEMA_ID', 'TRUNCATED', 'INVALID_BODY'].includes(reason));
    expect(failures).toBe(undecodable.length);
    expect(summary.malformed.total).toBe(9);
    const labelled = [summary.scenarios, summary.nearMisses, summary.behavioural].flatMap((counts) => Object.values(counts));
    expect(summary.records[topics.labels]).toBe(labelled.reduce((a, b) => a + b, 0));
    const admin = kafka.admin();
    await admin.connect();
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topics.profiles, configNames: ['cleanup.policy', 'retention.ms'] }], includeSynonyms: false });
    await admin.disconnect();
    expect(Object.fromEntries(configs.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]))).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '-1' });
  });
});
