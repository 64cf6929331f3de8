// `npm run fraud-store`: consumes fraud.scored and fraud.alerts into PostgreSQL and serves the REST API.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createAvroSerde } from '../shared/serde';
import { createKafkaLog } from '../shared/stream';
import { configFromEnv } from './config';
import { startFraudStore } from './index';
import { openPostgresStore } from './open';

const logger = createLogger('fraud-store');

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const database = await openPostgresStore(config.databaseUrl, logger);
  const log = await createKafkaLog(createKafka({ brokers: config.brokers, clientId: 'fraud-store', logger }));
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: config.registryUrl }) });

  // Until the store is up there is nothing to close; a consumer crash during start just ends the process.
  let shutdown = (_reason: string, exitCode: number): void => process.exit(exitCode);
  const store = await startFraudStore({
    db: database.db,
    log,
    serde,
    logger,
    port: config.port,
    host: '0.0.0.0',
    // An unrecoverable consumer error ends the process, for the supervisor to restart it from the committed offsets.
    onCrash: () => shutdown('consumer crashed', 1),
  });
  let stopping = false;
  shutdown = (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'fraud store stopping');
    store
      .close()
      .then(() => log.close())
      .then(() => database.close())
      .then(
        () => process.exit(exitCode),
        (error: unknown) => {
          logger.error({ err: error }, 'fraud store did not stop cleanly');
          process.exit(1);
        },
      );
  };
  logger.info({ url: store.url }, 'fraud store listening');
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'fraud store failed to start');
  process.exit(1);
});
