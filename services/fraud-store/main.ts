// `npm run fraud-store`: consumes fraud.scored and fraud.alerts into PostgreSQL and serves the REST API.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createAvroSerde } from '../shared/serde';
import { type Shutdown, shutdownOnSignals } from '../shared/shutdown';
import { createKafkaLog } from '../shared/stream';
import { configFromEnv } from './config';
import { startFraudStore } from './index';
import { openPostgresStore } from './open';
import { DEFAULT_STORE_RETENTION, retentionFromEnv } from './retention';

const logger = createLogger('fraud-store');

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const database = await openPostgresStore(config.databaseUrl, logger);
  const log = await createKafkaLog(createKafka({ brokers: config.brokers, clientId: 'fraud-store', logger }), { waitForBroker: { logger } });
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: config.registryUrl }) });

  // Until the store is up there is nothing to close; a consumer crash during start just ends the process.
  let shutdown: Shutdown = (_reason, exitCode) => process.exit(exitCode);
  const store = await startFraudStore({
    db: database.db,
    log,
    serde,
    logger,
    port: config.port,
    host: config.host,
    topics: config.topics,
    groupId: config.groupId,
    retention: retentionFromEnv(process.env, DEFAULT_STORE_RETENTION),
    // An unrecoverable consumer error ends the process, for the supervisor to restart it from the committed offsets.
    onCrash: () => shutdown('consumer crashed', 1),
  });
  shutdown = shutdownOnSignals('fraud store', logger, [() => store.close(), () => log.close(), () => database.close()]);
  logger.info({ url: store.url }, 'fraud store listening');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'fraud store failed to start');
  process.exit(1);
});
