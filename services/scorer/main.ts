// The scorer process: Kafka in, the CEP job with the starter rule pack, Kafka out; /metrics and
// /healthz on SCORER_PORT. Configuration: services/scorer/config.ts (docs/operations.md lists every variable).
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import express from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { starterPack } from '../../rules/starter';
import { createKafka, parseBrokers } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createAvroSerde } from '../shared/serde';
import { createKafkaLog } from '../shared/stream';
import { topicNames } from '../shared/topics';
import { scorerConfig } from './config';
import { scoringJob } from './job';
import { createScorerMetrics } from './metrics';
import { modelWiring } from './model';
import { startScorer } from './scorer';

async function main(): Promise<void> {
  const config = scorerConfig(process.env);
  const topics = topicNames(config.namespace);
  const logger = createLogger('scorer');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createScorerMetrics(registry);
  // A model that cannot serve stops the start here, before anything is consumed.
  const model = config.model === null ? null : await modelWiring({ dir: config.model, pack: starterPack, thresholds: config.thresholds, logger, loads: metrics.modelLoads });
  const log = await createKafkaLog(createKafka({ brokers: parseBrokers(config.brokers), clientId: 'peregrine-scorer', logger }), { waitForBroker: { logger } });
  const scorer = await startScorer({
    log,
    serde: createAvroSerde({ registry: new SchemaRegistry({ host: config.registryUrl }) }),
    job: scoringJob({ topics, pack: starterPack, ...config, features: model !== null }),
    topics,
    namespace: config.namespace,
    groupId: config.groupId,
    partitions: config.partitions,
    maxInputBytes: config.maxInputBytes,
    tickMs: config.tickMs,
    metrics,
    logger,
    decisions: model?.decisions,
  });
  process.on('SIGHUP', () => void model?.holder.reload());

  const app = express();
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/healthz', (_req, res) => {
    const healthy = scorer.healthy;
    res.status(healthy ? 200 : 503).json({ healthy, partitions: scorer.assignedPartitions, problems: scorer.problems() });
  });
  const server = app.listen(config.port, '127.0.0.1', () => logger.info({ port: config.port }, 'scorer http listening'));

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'scorer stopping');
    server.close();
    model?.holder.close();
    await scorer.stop();
    await log.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  createLogger('scorer').fatal({ err }, 'scorer failed to start');
  process.exit(1);
});
