// `npm run dashboard`: the live dashboard on Kafka, with /metrics and /healthz beside the page.
import { createServer } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import express from 'express';
import { errorHandler, healthzHandler, listenServer, unknownRoute } from '../shared/http';
import { createKafka } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createMetricsRegistry, metricsHandler } from '../shared/metrics';
import { createAvroSerde } from '../shared/serde';
import { type Shutdown, shutdownOnSignals } from '../shared/shutdown';
import { createKafkaLog } from '../shared/stream';
import { attachDashboard } from './attach';
import { dashboardConfig } from './config';

const logger = createLogger('dashboard');

async function main(): Promise<void> {
  const config = dashboardConfig(process.env);
  const log = await createKafkaLog(createKafka({ brokers: config.brokers, clientId: 'peregrine-dashboard', logger }), { waitForBroker: { logger } });
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: config.registryUrl }) });
  const metrics = createMetricsRegistry({ service: 'dashboard' });
  const app = express();
  const server = createServer(app);

  // Until the server listens there is nothing to close; a consumer crash during start just ends the process.
  let shutdown: Shutdown = (_reason, exitCode) => process.exit(exitCode);
  const dashboard = await attachDashboard({
    app,
    server,
    log,
    serde,
    logger,
    topics: config.topics,
    groupId: config.groupId,
    flushMs: config.flushMs,
    metrics,
    // An unrecoverable consumer error ends the process, for the supervisor to start a fresh one.
    onCrash: () => shutdown('consumer crashed', 1),
  });
  app.get('/metrics', metricsHandler(metrics));
  app.get('/healthz', healthzHandler({ consumer: () => dashboard.health() }));
  app.use(unknownRoute);
  app.use(errorHandler(logger));
  const http = await listenServer(server, config.port, config.host);
  shutdown = shutdownOnSignals('dashboard', logger, [() => dashboard.close(), () => http.close(), () => log.close()]);
  logger.info({ url: http.url }, 'dashboard listening');
  await dashboard.ready;
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'dashboard failed to start');
  process.exit(1);
});
