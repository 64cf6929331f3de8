// The whole pipeline in one process behind one HTTP server: the log (in memory, or Kafka), the
// schema registry, the database (PGlite, or PostgreSQL), the scorer, the fraud store's consumer and
// API, the simulator, and whatever else mounts on the server (the dashboard). One metrics registry
// serves every part on /metrics, and /healthz checks them all.
import { createServer, type Server } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { starterPack } from '../../rules/starter';
import {
  consumerHealth,
  createStoreMetrics,
  DEFAULT_GROUP_ID as STORE_GROUP_ID,
  DEFAULT_STORE_RETENTION,
  IN_MEMORY_STORE_RETENTION,
  fraudStoreApi,
  fraudStoreHealthChecks,
  openPgliteStore,
  openPostgresStore,
  retentionFromEnv,
  startRetention,
  StoreIngest,
} from '../fraud-store';
import { DEFAULT_SCHEMAS_TOPIC, createRegistryApp, openTopicJournal } from '../registry';
import { recordingEndpoint } from '../recorder/http';
import { scorerConfig } from '../scorer/config';
import { scoringJob } from '../scorer/job';
import { modelWiring } from '../scorer/model';
import { createScorerMetrics } from '../scorer/metrics';
import { startScorer, type RunningScorer } from '../scorer/scorer';
import type { Env } from '../shared/env';
import { errorHandler, healthzHandler, listenServer, unknownRoute, type HealthStatus } from '../shared/http';
import { createKafka } from '../shared/kafka';
import type { Logger } from '../shared/log';
import { createMetricsRegistry, metricsHandler } from '../shared/metrics';
import { createAvroSerde, type AvroSerde } from '../shared/serde';
import { createKafkaLog, createMemoryLog, type RecordLog } from '../shared/stream';
import { topicNames, type TopicNames } from '../shared/topics';
import { createSimulatorTopics, prepareSimulation, type RunSummary, type SimulationOptions } from '../simulator';
import { attachDashboard } from '../dashboard';
import type { AppOptions } from './options';

/** What a part that mounts on the app's server gets: the dashboard's `attachDashboard` takes it as it is. */
export interface MountContext {
  readonly app: Express;
  readonly server: Server;
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly topics: TopicNames;
  /** The consumer group the part reads with, namespaced like the topics. */
  readonly groupId: string;
  /** The app's one registry, served on /metrics. */
  readonly metrics: Registry;
  readonly logger: Logger;
}

export interface Mounted {
  /** Added to /healthz under the mount's name. */
  health?(): HealthStatus;
  close(): Promise<void>;
}

export type Mount = (context: MountContext) => Promise<Mounted>;

export interface AppDependencies {
  /** Read for the scorer's settings (OUT_OF_ORDERNESS_MS and the rest, as `npm run scorer` reads them). */
  readonly env: Env;
  readonly logger: Logger;
  /** Parts mounted after the API and before the catch-all 404, by name; by default the dashboard. */
  readonly mounts?: Readonly<Record<string, Mount>>;
}

export interface RunningApp {
  /** Where a browser on this machine reaches the app, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** Settles when the simulation ends: its summary, or undefined if it failed (the failure is logged). */
  readonly simulation: Promise<RunSummary | undefined>;
  /** Stops the simulator, then every part in the reverse order of starting; idempotent. */
  close(): Promise<void>;
}

type SimulatorState = { state: 'running' | 'finished' | 'stopped' } | { state: 'failed'; error: string };

const STARTING: HealthStatus = { ok: false, detail: 'starting' };


export async function startApp(options: AppOptions, { env, logger, mounts = { dashboard: attachDashboard } }: AppDependencies): Promise<RunningApp> {
  // Each part, once started, leaves how to stop it; they stop in the reverse order.
  const closers: Array<() => Promise<void>> = [];
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      for (const stop of closers.reverse()) await stop();
    })();
    return closed;
  };
  try {
    const scorerSettings = scorerConfig(env);
    const topics = topicNames(options.namespace);
    const groupId = (name: string) => (options.namespace === '' ? name : `${options.namespace}.${name}`);
    const metrics = createMetricsRegistry({ service: 'peregrine' });

    // 1. The log and the database.
    const kafka = options.kafka && createKafka({ brokers: [...options.kafka], clientId: 'peregrine', logger });
    const log = kafka ? await createKafkaLog(kafka) : createMemoryLog({ retention: options.logRetention, metrics, logger: logger.child({ component: 'log' }) });
    closers.push(() => log.close());
    const database = options.databaseUrl ? await openPostgresStore(options.databaseUrl, logger) : await openPgliteStore(logger, options.dataDir);
    closers.push(() => database.close());
    // An embedded database in memory keeps a bounded number of rows; on disk, what a server keeps.
    const inMemory = !options.databaseUrl && options.dataDir === undefined;
    const storeRetention = retentionFromEnv(env, inMemory ? IN_MEMORY_STORE_RETENTION : DEFAULT_STORE_RETENTION);
    const retention = startRetention({ db: database.db, retention: storeRetention, reclaim: database.reclaim, metrics, logger: logger.child({ component: 'fraud-store' }) });
    closers.push(() => retention.stop());

    // 2. The server, listening before the services start: the embedded registry they register their
    // schemas with is served here. The health checks read the parts as they come up.
    const parts: { scorer?: RunningScorer; ingest?: StoreIngest; simulator: SimulatorState; mounted: Map<string, Mounted> } = {
      simulator: { state: 'running' },
      mounted: new Map(),
    };
    const mountHealth = (name: string) => () => {
      const mounted = parts.mounted.get(name);
      return mounted ? (mounted.health?.() ?? { ok: true }) : STARTING;
    };
    const app = express();
    app.disable('x-powered-by');
    if (!options.registryUrl) {
      // Its schemas in the log beside the records that carry their ids, read back on a restart.
      const journal = await openTopicJournal(log, options.namespace === '' ? DEFAULT_SCHEMAS_TOPIC : `${options.namespace}.${DEFAULT_SCHEMAS_TOPIC}`);
      closers.push(journal.close);
      app.use('/registry', createRegistryApp({ logger: logger.child({ component: 'registry' }), writer: journal.writer }));
    }
    app.use('/api', fraudStoreApi(database.db));
    app.get(
      '/healthz',
      healthzHandler({
        ...fraudStoreHealthChecks(database.db, () => (parts.ingest ? consumerHealth(parts.ingest.state) : STARTING)),
        scorer: () => (parts.scorer ? scorerHealth(parts.scorer) : STARTING),
        simulator: () => simulatorHealth(parts.simulator),
        ...Object.fromEntries(Object.keys(mounts).map((name) => [name, mountHealth(name)])),
      }),
    );
    app.get('/metrics', metricsHandler(metrics));
    const httpServer = createServer(app);
    const server = await listenServer(httpServer, options.port, options.host);
    closers.push(() => server.close());
    const url = `http://${reachableHost(options.host)}:${server.port}`;
    const registryUrl = options.registryUrl ?? `${url}/registry`;
    const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registryUrl }) });
    app.get('/recording', recordingEndpoint({ log, topics, registryUrl, source: `npm start at ${url}`, logger: logger.child({ component: 'recorder' }) }));

    // 3. The simulator's history, before the scorer joins: in the log already, it is a backlog the
    // scorer orders exactly, where consumed as it is published it would be late wherever its partition
    // had gone idle (docs/event-time.md). On Kafka the input topics are created first, to keep their
    // records whatever their age (see simulator/kafka-topics.ts). Event time starts now, so that the
    // watermark trails the wall clock by the out-of-orderness bound and the start of what follows.
    const start = Date.now();
    const simulation: SimulationOptions = {
      rate: options.simulation.rate,
      durationMs: options.simulation.durationMs,
      mix: options.simulation.mix,
      fraudRate: options.simulation.fraudRate,
      scenarios: options.simulation.scenarios,
      scenarioOrder: 'shortest-first',
      partitions: scorerSettings.partitions,
      boundMs: scorerSettings.outOfOrdernessMs,
      namespace: options.namespace,
      start,
      seed: options.simulation.seed ?? String(start),
    };
    if (kafka) await createSimulatorTopics(kafka, simulation);
    const simulator = await prepareSimulation(simulation, { log, serde, logger: logger.child({ component: 'simulator' }) });
    closers.push(() => simulator.close()); // should a later step fail
    await simulator.publishHistory();

    // 4. The scorer (with its model, which must load before anything is consumed) and the fraud store's consumer.
    const scorerMetrics = createScorerMetrics(metrics);
    const model =
      options.model === undefined
        ? null
        : await modelWiring({ dir: options.model, pack: starterPack, thresholds: scorerSettings.thresholds, logger: logger.child({ component: 'scorer' }), loads: scorerMetrics.modelLoads });
    if (model !== null) closers.push(async () => model.holder.close());
    const scorer = await startScorer({
      log,
      serde,
      job: scoringJob({ topics, pack: starterPack, ...scorerSettings, features: model !== null }),
      decisions: model?.decisions,
      groupId: groupId(scorerSettings.groupId),
      topics,
      partitions: scorerSettings.partitions,
      maxInputBytes: scorerSettings.maxInputBytes,
      tickMs: scorerSettings.tickMs,
      metrics: scorerMetrics,
      logger: logger.child({ component: 'scorer' }),
    });
    parts.scorer = scorer;
    closers.push(() => scorer.stop());
    const ingest = new StoreIngest({
      log,
      serde,
      db: database.db,
      metrics: createStoreMetrics(metrics),
      logger: logger.child({ component: 'fraud-store' }),
      groupId: groupId(STORE_GROUP_ID),
      topics,
    });
    await ingest.start();
    parts.ingest = ingest;
    closers.push(() => ingest.stop());

    // 5. What mounts on the server (the dashboard), then the catch-all answers for everything else.
    for (const [name, mount] of Object.entries(mounts)) {
      const context = { app, server: httpServer, log, serde, topics, groupId: groupId(`peregrine-${name}`), metrics, logger: logger.child({ component: name }) };
      const mounted = await mount(context);
      parts.mounted.set(name, mounted);
      closers.push(() => mounted.close());
    }
    app.use(unknownRoute);
    app.use(errorHandler(logger));

    // 6. The simulator's stream, last: everything that reads its records is in place.
    const simulationDone = simulator.publishStream().then(
      (summary) => {
        parts.simulator = { state: summary.stopped ? 'stopped' : 'finished' };
        return summary;
      },
      (error: unknown) => {
        parts.simulator = { state: 'failed', error: error instanceof Error ? error.message : String(error) };
        logger.error({ err: error }, 'simulator failed; the rest of the pipeline keeps running');
        return undefined;
      },
    );
    closers.push(() => simulator.close()); // once running, stopped first
    return { url, simulation: simulationDone, close };
  } catch (error) {
    await close().catch((closeError: unknown) => logger.error({ err: closeError }, 'could not stop what had started'));
    throw error;
  }
}

function scorerHealth(scorer: RunningScorer): HealthStatus {
  const problems = scorer.problems();
  return { ok: scorer.healthy, detail: [`partitions ${scorer.assignedPartitions.join(',') || 'none'}`, ...problems].join('; ') };
}

function simulatorHealth(simulator: SimulatorState): HealthStatus {
  return simulator.state === 'failed' ? { ok: false, detail: `failed: ${simulator.error}` } : { ok: true, detail: simulator.state };
}

/** A wildcard listening address is not one to browse to; the loopback address reaches it. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
