// One simulator run against any record log: creates the topics, registers the schemas, publishes
// the history and then the stream, and reports what went out. Shared by the CLI, the embedded mode
// and the tests.
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import type { AppendOnlyLog } from '../shared/recording';
import type { TopicSpec } from '../shared/stream';
import { createRecordEncoder } from './encoder';
import { resolveOptions, type SimulationConfig, type SimulationOptions } from './options';
import { Publisher, systemClock, type Clock } from './publisher';
import { Simulation } from './simulation';
import { SummaryCounter, type RunSummary } from './summary';

export interface SimulationProgress {
  readonly transactions: number;
  /** Payments the full run publishes: baseline, scenarios and malformed. */
  readonly expectedTransactions: number;
}

export interface SimulationDeps {
  /** Kafka, the in-memory log, or a recording file. */
  readonly log: AppendOnlyLog;
  readonly serde: AvroSerde;
  readonly logger?: Logger;
  /** Aborting stops the run gracefully: what is generated is published, then the summary returns. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SimulationProgress) => void;
  readonly clock?: Clock;
}

/** The topics a run publishes to; profiles are compacted (the newest version per account is kept). */
export function simulatorTopics(config: Pick<SimulationConfig, 'topics' | 'partitions'>): TopicSpec[] {
  const { topics, partitions } = config;
  return [
    { topic: topics.transactions, partitions, history: true },
    { topic: topics.profiles, partitions, compacted: true, history: true },
    { topic: topics.authEvents, partitions, history: true },
    { topic: topics.labels, partitions, history: true },
  ];
}

/**
 * A run in its two phases, for a caller that starts a consumer in between: history already in the
 * log when the scorer joins is a backlog, which the scorer orders exactly, whereas history consumed
 * as it is published is late wherever its partition had gone idle (docs/event-time.md).
 */
export interface SimulationRun {
  /** Profile versions and the few payments dated before the stream, in full batches and unpaced. */
  publishHistory(): Promise<void>;
  /** The stream, at the configured rate; then closes the producer and reports what went out. */
  publishStream(): Promise<RunSummary>;
  /** Ends the run: a stream under way stops as on abort (what is generated is published), then the producer closes. */
  close(): Promise<void>;
}

export async function runSimulation(options: SimulationOptions, deps: SimulationDeps): Promise<RunSummary> {
  const run = await prepareSimulation(options, deps);
  try {
    await run.publishHistory();
  } catch (error) {
    await run.close();
    throw error;
  }
  return run.publishStream();
}

export async function prepareSimulation(options: SimulationOptions, deps: SimulationDeps): Promise<SimulationRun> {
  const config = resolveOptions(options);
  const { log, serde, logger, signal, onProgress, clock = systemClock } = deps;
  await log.admin.ensureTopics(simulatorTopics(config));
  const encoder = await createRecordEncoder(serde, config.topics, config.partitions);
  const simulation = new Simulation(config);
  const expectedTransactions = simulation.expectedTransactions;
  const counter = new SummaryCounter(config.topics, config.boundMs);
  const producer = await log.producer();
  const startedAt = clock.now();
  let stopped = false;
  const stop = () => {
    stopped = true;
    simulation.stop();
  };
  let closed: Promise<void> | undefined;
  const closeProducer = () =>
    (closed ??= (async () => {
      signal?.removeEventListener('abort', stop);
      await producer.close();
    })());
  let streaming: Promise<RunSummary> | undefined;
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  const fraudInstances = simulation.behaviours.filter((b) => b.behaviour.fraud).length;
  logger?.info(
    { ...config, scenarioInstances: simulation.scenarios.length, fraudInstances, lookAlikeInstances: simulation.behaviours.length - fraudInstances },
    'simulation starting',
  );
  const publisher = (rate: number) =>
    new Publisher({
      producer,
      encoder,
      counter,
      rate,
      batchSize: config.batchSize,
      clock,
      onBatch: (transactions) => onProgress?.({ transactions, expectedTransactions }),
    });

  return {
    // A dormant account's old payment must precede its partition's stream.
    async publishHistory() {
      const history = publisher(0);
      for (const record of simulation.history) {
        if (stopped) break;
        await history.add(record);
      }
      await history.drain();
    },
    publishStream() {
      streaming ??= streamToEnd();
      return streaming;
    },
    async close() {
      stop();
      await streaming?.catch(() => undefined);
      await closeProducer();
    },
  };

  async function streamToEnd(): Promise<RunSummary> {
    try {
      const paced = publisher(config.rate);
      for (const record of simulation.records()) await paced.add(record);
      await paced.drain();
    } finally {
      await closeProducer();
    }
    const summary = counter.summary({ seed: config.seed, start: config.start, stopped, elapsedMs: Math.round(clock.now() - startedAt) });
    const { transactions, late, elapsedMs, transactionsPerSecond } = summary;
    logger?.info({ transactions, late, elapsedMs, transactionsPerSecond }, stopped ? 'simulation stopped' : 'simulation finished');
    return summary;
  }
}
