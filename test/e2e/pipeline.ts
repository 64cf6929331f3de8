// The whole pipeline in one process on the real broker and database: embedded registry, simulator,
// scorer and fraud store, each with its own client, all under one topic namespace. Shared by the
// end-to-end test and the end-to-end benchmark.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { starterPack } from '../../rules/starter';
import { type RunningFraudStore, startFraudStore } from '../../services/fraud-store';
import type { StoreDatabase } from '../../services/fraud-store';
import { type RunningRegistry, startRegistryServer } from '../../services/registry';
import { scoringJob } from '../../services/scorer/job';
import { createScorerMetrics } from '../../services/scorer/metrics';
import { type RunningScorer, startScorer } from '../../services/scorer/scorer';
import { type Logger, createLogger } from '../../services/shared/log';
import { type AvroSerde, createAvroSerde } from '../../services/shared/serde';
import { type RecordLog, createKafkaLog } from '../../services/shared/stream';
import { authEvent, profile, transaction } from '../../cep/testing';
import { selfContainedSchema } from '../../schemas';
import { type TopicNames, topicNames, valueSubject } from '../../services/shared/topics';
import { type SimulationOptions, createSimulatorTopics } from '../../services/simulator';

export const OUT_OF_ORDERNESS_MS = 5_000;
// Idleness runs on the wall clock, so on a loaded machine a simulator starved for a few seconds left
// every partition idle, moved the watermark to the fastest input and made the others' records late
// (the likely cause of a scenario missed once on a heavily loaded machine). The run ends with a flush tail on every input instead, so the
// outcome does not depend on the machine's speed.
export const IDLE_TIMEOUT_MS = 10 * 60_000;

export interface PipelineOptions {
  readonly kafka: () => Kafka;
  readonly namespace: string;
  readonly partitions: number;
  readonly db: StoreDatabase;
  readonly logger?: Logger;
}

export interface Pipeline {
  readonly topics: TopicNames;
  readonly registryUrl: string;
  readonly scorer: RunningScorer;
  readonly store: RunningFraudStore;
  /** A log and serde of their own, for publishing inputs and reading outputs as an outsider would. */
  readonly client: { readonly log: RecordLog; readonly serde: AvroSerde };
  close(): Promise<void>;
}

export function serdeFor(registryUrl: string): AvroSerde {
  return createAvroSerde({ registry: new SchemaRegistry({ host: registryUrl }) });
}

/** Creates the input topics as the simulator would (no time-based retention), then starts the services. */
export async function startPipeline(options: PipelineOptions, simulation: SimulationOptions): Promise<Pipeline> {
  const logger = options.logger ?? createLogger('e2e', process.env.TEST_LOG_LEVEL ?? 'silent');
  const topics = topicNames(options.namespace);
  const registry: RunningRegistry = await startRegistryServer({ port: 0 });
  await createSimulatorTopics(options.kafka(), { ...simulation, namespace: options.namespace, partitions: options.partitions });
  const logs: RecordLog[] = [];
  const newLog = async () => {
    const log = await createKafkaLog(options.kafka());
    logs.push(log);
    return log;
  };
  const scorer = await startScorer({
    log: await newLog(),
    serde: serdeFor(registry.url),
    job: scoringJob({ topics, pack: starterPack, outOfOrdernessMs: OUT_OF_ORDERNESS_MS, idleTimeoutMs: IDLE_TIMEOUT_MS, allowedLatenessMs: 60_000 }),
    groupId: 'scorer',
    topics,
    namespace: options.namespace,
    partitions: options.partitions,
    tickMs: 200,
    metrics: createScorerMetrics(new Registry()),
    logger: logger.child({ component: 'scorer' }),
  });
  const store = await startFraudStore({
    db: options.db,
    log: await newLog(),
    serde: serdeFor(registry.url),
    logger: logger.child({ component: 'fraud-store' }),
    port: 0,
    groupId: `${options.namespace}.fraud-store`,
    topics,
  });
  const client = { log: await newLog(), serde: serdeFor(registry.url) };
  return {
    topics,
    registryUrl: registry.url,
    scorer,
    store,
    client,
    async close() {
      await store.close();
      await scorer.stop();
      for (const log of logs) await log.close();
      await registry.close();
    },
  };
}

/**
 * The newest out-of-orderness bound of a stream is only decided once newer data arrives on every
 * partition: a tail at `time` on every input (accounts of their own, ids `flush-<n>`) releases
 * everything before it without waiting for idleness, which runs on the wall clock. Without its
 * payments (`payments: false`), the tail's own records are decided too: the payment partitions go
 * idle, and the profiles and logins carry the watermark past every payment. 32 keys land on
 * every one of up to 8 partitions with kafkajs's partitioner.
 */
export async function publishFlushTail(client: Pipeline['client'], topics: TopicNames, time: number, { payments = true } = {}): Promise<void> {
  const accounts = Array.from({ length: 32 }, (_, i) => `flush-${i}`);
  const inputs = [
    { topic: topics.profiles, schema: 'AccountProfile', values: accounts.map((accountId) => profile({ accountId, updatedAt: time, openedAt: time })) },
    { topic: topics.authEvents, schema: 'AuthEvent', values: accounts.map((accountId) => authEvent({ eventId: accountId, accountId, eventTime: time })) },
    { topic: topics.transactions, schema: 'Transaction', values: payments ? accounts.map((accountId) => transaction({ transactionId: accountId, accountId, cardId: accountId, eventTime: time })) : [] },
  ] as const;
  const producer = await client.log.producer();
  try {
    for (const { topic, schema, values } of inputs) {
      const id = await client.serde.register(valueSubject(topic), selfContainedSchema(schema));
      const records = await Promise.all(
        values.map(async (value) => ({ topic, key: Buffer.from(value.accountId), value: await client.serde.encode(id, value), timestamp: time })),
      );
      if (records.length > 0) await producer.send(records);
    }
  } finally {
    await producer.close();
  }
}
