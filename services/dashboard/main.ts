// `npm run dashboard`: the live dashboard on Kafka, with /metrics and /healthz beside the page.
import { createServer } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import express from 'express';
import { errorHandler, healthzHandler, listenServer, unknownRoute } from '../shared/http';
import { createKafka } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createMetricsRegistry, metricsHandler } from '../shared/metrics';
import { createAvroSerde } from '../shared/serde';
import { createKafkaLog } from '../shared/stream';
import { attachDashboard } from './attach';
import { dashboardConfig } from './config';

const logger = createLogger('dashboard');

async function main(): Promise<void> {
  const config = dashboardConfig(process.env);
  const log = await createKafkaLog(createKafka({ brokers: config.brokers, clientId: 'peregrine-dashboard', logger }));
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: config.registryUrl }) });
  const metrics = createMetricsRegistry({ service: 'dashboard' });
  const app = express();
  const server = createServer(app);

  // Until the server listens there is nothing to close; a consumer crash during start just ends the process.
  let shutdown = (_reason: string, exitCode: number): void => process.exit(exitCode);
  const dashboard = await attachDashboard({
    app,
    server,
    log,
    serde,
    logger,
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
  let stopping = false;
  shutdown = (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'dashboard stopping');
    dashboard
      .close()
      .then(() => http.close())
      .then(() => log.close())
      .then(
        () => process.exit(exitCode),
        (error: unknown) => {
          logger.error({ err: error }, 'dashboard did not stop cleanly');
          process.exit(1);
        },
      );
  };
  logger.info({ url: http.url }, 'dashboard listening');
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));
  await dashboard.ready;
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'dashboard failed to start');
  process.exit(1);
});
