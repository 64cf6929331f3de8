// One simulator run against any record log: creates the topics, registers the schemas, publishes
// the history and then the stream, and reports what went out. Shared by the CLI, the embedded mode
// and the tests.
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import type { RecordLog, TopicSpec } from '../shared/stream';
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
  readonly log: RecordLog;
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

export async function runSimulation(options: SimulationOptions, deps: SimulationDeps): Promise<RunSummary> {
  const config = resolveOptions(options);
  const { log, serde, logger, signal, onProgress, clock = systemClock } = deps;
  await log.admin.ensureTopics(simulatorTopics(config));
  const encoder = await createRecordEncoder(serde, config.topics);
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
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  logger?.info({ ...config, scenarioInstances: simulation.scenarios.length }, 'simulation starting');
  try {
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
    // The history goes first, in full batches and unpaced (it holds hardly any payments): a dormant
    // account's old payment must precede its partition's stream.
    const history = publisher(0);
    for (const record of simulation.history) {
      if (stopped) break;
      await history.add(record);
    }
    await history.drain();
    const stream = publisher(config.rate);
    for (const record of simulation.records()) await stream.add(record);
    await stream.drain();
  } finally {
    signal?.removeEventListener('abort', stop);
    await producer.close();
  }
  const summary = counter.summary({ seed: config.seed, start: config.start, stopped, elapsedMs: Math.round(clock.now() - startedAt) });
  const { transactions, late, elapsedMs, transactionsPerSecond } = summary;
  logger?.info({ transactions, late, elapsedMs, transactionsPerSecond }, stopped ? 'simulation stopped' : 'simulation finished');
  return summary;
}
