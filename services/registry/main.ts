// `npm run registry`: the embedded Confluent-compatible Schema Registry on 127.0.0.1:$REGISTRY_PORT,
// its schemas kept in a compacted Kafka topic (REGISTRY_TOPIC at KAFKA_BROKERS), or with
// REGISTRY_STORE=memory in memory only.
import { envString } from '../shared/env';
import { createKafka, parseBrokers } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createKafkaLog } from '../shared/stream';
import { DEFAULT_SCHEMAS_TOPIC, RegistryWriter, openTopicJournal } from './journal';
import { startRegistryServer } from './server';

const DEFAULT_PORT = 8081;
const logger = createLogger('registry');

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`REGISTRY_PORT must be a TCP port (0-65535), got "${value}"`);
  }
  return port;
}

/** The schemas as the journal left them, read before the registry answers anything. */
async function openWriter(): Promise<{ writer: RegistryWriter; close: () => Promise<void> }> {
  const store = envString(process.env, 'REGISTRY_STORE', 'kafka');
  if (store === 'memory') return { writer: new RegistryWriter(), close: async () => undefined };
  if (store !== 'kafka') throw new Error(`REGISTRY_STORE=${store}: expected kafka or memory`);
  const brokers = envString(process.env, 'KAFKA_BROKERS', '127.0.0.1:9092');
  const topic = envString(process.env, 'REGISTRY_TOPIC', DEFAULT_SCHEMAS_TOPIC);
  const log = await createKafkaLog(createKafka({ brokers: parseBrokers(brokers), clientId: 'peregrine-registry', logger }), { waitForBroker: { logger } });
  const { writer, close } = await openTopicJournal(log, topic);
  logger.info({ brokers, topic, subjects: writer.store.subjects().length }, 'schemas read back from Kafka');
  return { writer, close: () => close().then(() => log.close()) };
}

async function main(): Promise<void> {
  const journal = await openWriter();
  const registry = await startRegistryServer({ port: portFromEnv(process.env.REGISTRY_PORT), logger, writer: journal.writer });
  logger.info({ url: registry.url }, 'schema registry listening');
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'schema registry stopping');
    registry.close().then(journal.close).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'schema registry did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'schema registry failed to start');
  process.exit(1);
});
