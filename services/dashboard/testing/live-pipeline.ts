// The whole pipeline in one process on the in-memory log, with the dashboard mounted and the
// simulator publishing in real time: what the browser test and the screenshot script look at.
import { createServer } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import express from 'express';
import { Registry } from 'prom-client';
import { starterPack } from '../../../rules/starter';
import { startRegistryServer } from '../../registry';
import { scoringJob } from '../../scorer/job';
import { createScorerMetrics } from '../../scorer/metrics';
import { modelWiring } from '../../scorer/model';
import { startScorer } from '../../scorer/scorer';
import { listenServer } from '../../shared/http';
import { createLogger, type Logger } from '../../shared/log';
import { createAvroSerde, type AvroSerde } from '../../shared/serde';
import { createMemoryLog, type RecordLog } from '../../shared/stream';
import { Topics } from '../../shared/topics';
import { runSimulation, type RunSummary, type SimulationOptions } from '../../simulator';
import { attachDashboard } from '../attach';

const PARTITIONS = 4;

export interface LivePipeline {
  /** The dashboard page. */
  readonly url: string;
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  /** Settles when the simulation has published everything, or was stopped by `close`. */
  readonly simulation: Promise<RunSummary>;
  close(): Promise<void>;
}

export interface LivePipelineOptions {
  /** The run to publish; its partitions are the pipeline's. */
  readonly simulation: Omit<SimulationOptions, 'partitions' | 'namespace'>;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** A model directory that decides, with these thresholds; the rules decide without one. */
  readonly model?: { readonly dir: string; readonly thresholds: { readonly review: number; readonly decline: number } };
  readonly logger?: Logger;
}

export async function startLivePipeline(options: LivePipelineOptions): Promise<LivePipeline> {
  const logger = options.logger ?? createLogger('live-pipeline', process.env.TEST_LOG_LEVEL ?? 'silent');
  const registry = await startRegistryServer({ port: 0 });
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
  const log = createMemoryLog();
  const metrics = createScorerMetrics(new Registry());
  const model =
    options.model === undefined
      ? null
      : await modelWiring({ dir: options.model.dir, pack: starterPack, thresholds: options.model.thresholds, logger: logger.child({ component: 'scorer' }), loads: metrics.modelLoads });
  const scorer = await startScorer({
    log,
    serde,
    job: scoringJob({ topics: Topics, pack: starterPack, outOfOrdernessMs: 5_000, idleTimeoutMs: 1_000, allowedLatenessMs: 60_000, features: model !== null }),
    decisions: model?.decisions,
    groupId: 'scorer',
    topics: Topics,
    partitions: PARTITIONS,
    tickMs: 100,
    metrics,
    logger: logger.child({ component: 'scorer' }),
  });
  const app = express();
  const server = createServer(app);
  const dashboard = await attachDashboard({ app, server, log, serde, logger: logger.child({ component: 'dashboard' }) });
  const http = await listenServer(server, options.port ?? 0);
  await dashboard.ready;

  const stop = new AbortController();
  const simulation = runSimulation({ ...options.simulation, partitions: PARTITIONS }, { log, serde, signal: stop.signal, logger: logger.child({ component: 'simulator' }) });
  // Awaited in close(); a failure before then must not surface as an unhandled rejection.
  simulation.catch(() => undefined);
  return {
    url: http.url,
    log,
    serde,
    simulation,
    async close() {
      stop.abort();
      await simulation.catch(() => undefined);
      await dashboard.close();
      await http.close();
      await scorer.stop();
      model?.holder.close();
      await log.close();
      await registry.close();
    },
  };
}
