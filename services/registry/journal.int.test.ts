// The registry's journal on the real broker: `npm run registry` restarted keeps its ids, as the
// records already in Kafka need.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { testKafka, uniqueName } from '../../test/integration/kafka';
import { createKafkaLog } from '../shared/stream';
import { openTopicJournal } from './journal';
import { startRegistryServer } from './server';

const schema = (name: string) => JSON.stringify({ type: 'record', name, namespace: 'test.journal', fields: [{ name: 'id', type: 'string' }] });

it('serves the ids of a registry that ran before it on the same topic', async () => {
  const log = await createKafkaLog(testKafka('registry-journal'));
  const topic = uniqueName('schemas');
  const run = async (subjects: string[]) => {
    const { writer, close } = await openTopicJournal(log, topic);
    const registry = await startRegistryServer({ port: 0, writer });
    try {
      const client = new SchemaRegistry({ host: registry.url });
      return await Promise.all(subjects.map(async (subject) => (await client.register({ type: SchemaType.AVRO, schema: schema(subject) }, { subject })).id));
    } finally {
      await registry.close();
      await close();
    }
  };
  try {
    const first = await run(['A', 'B', 'C']);
    expect(new Set(first).size).toBe(3);
    // Registered again after the restart: the same ids, and a new schema after them.
    expect(await run(['A', 'B', 'C', 'D'])).toEqual([...first, Math.max(...first) + 1]);
  } finally {
    await log.close();
  }
});
