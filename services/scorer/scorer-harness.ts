// Test wiring of the scorer: an embedded registry, a log (in-memory or Kafka) and helpers to publish
// inputs and read back decoded outputs. Shared by the scorer's unit and integration tests.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Registry } from 'prom-client';
import { selfContainedSchema } from '../../schemas';
import { starterPack } from '../../rules/starter';
import { startRegistryServer, type RunningRegistry } from '../registry';
import { createLogger } from '../shared/log';
import { createAvroSerde, type AvroSerde } from '../shared/serde';
import type { LogRecord, RecordLog } from '../shared/stream';
import { TOPIC_SCHEMAS, type TopicNames, topicNames, valueSubject } from '../shared/topics';
import { scoringJob } from './job';
import { createScorerMetrics, type ScorerMetrics } from './metrics';
import { type RunningScorer, startScorer } from './scorer';

type InputRole = 'transactions' | 'profiles' | 'authEvents';

export const BASE_TIME = Date.UTC(2026, 0, 5, 12, 0, 0);

export interface ScorerHarness {
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly metrics: ScorerMetrics;
  readonly metricsRegistry: Registry;
  readonly topics: TopicNames;
  /** The embedded registry's URL, for tests that change its configuration. */
  readonly registryUrl: string;
  start(): Promise<RunningScorer>;
  /** Encodes and appends values keyed by their accountId. */
  publish(input: InputRole, values: Array<{ accountId: string }>): Promise<void>;
  /** Appends raw bytes, for malformed input; on the key's partition unless `partition` names another. */
  publishRaw(input: InputRole, key: string | null, value: Buffer | null, partition?: number): Promise<void>;
  /** Every committed record of a topic, decoded. */
  read<T>(output: keyof TopicNames): Promise<T[]>;
  close(): Promise<void>;
}

export async function scorerHarness(log: RecordLog, options: { groupId: string; namespace?: string; partitions?: number }): Promise<ScorerHarness> {
  const topics = topicNames(options.namespace);
  const registry: RunningRegistry = await startRegistryServer({ port: 0 });
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
  const metricsRegistry = new Registry();
  const metrics = createScorerMetrics(metricsRegistry);
  const partitions = options.partitions ?? 2;
  const ids = new Map<string, number>();
  const schemaId = async (role: InputRole) => {
    if (!ids.has(role)) ids.set(role, await serde.register(valueSubject(topics[role]), selfContainedSchema(TOPIC_SCHEMAS[role])));
    return ids.get(role)!;
  };
  const producer = await log.producer();
  const running: RunningScorer[] = [];

  return {
    log,
    serde,
    metrics,
    metricsRegistry,
    topics,
    registryUrl: registry.url,
    async start() {
      const scorer = await startScorer({
        log,
        serde,
        job: scoringJob({ topics, pack: starterPack, outOfOrdernessMs: 5_000, idleTimeoutMs: 200, allowedLatenessMs: 60_000 }),
        groupId: options.groupId,
        topics,
        namespace: options.namespace,
        partitions,
        tickMs: 50,
        metrics,
        logger: createLogger('scorer-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
        restartDelayMs: 100,
        fenceGraceMs: 200,
      });
      running.push(scorer);
      return scorer;
    },
    async publish(role, values) {
      const id = await schemaId(role);
      const topic = topics[role];
      await log.admin.ensureTopics([{ topic, partitions, compacted: role === 'profiles' }]);
      const records = await Promise.all(
        values.map(async (value) => ({ topic, key: Buffer.from(value.accountId), value: await serde.encode(id, value) })),
      );
      await producer.send(records);
    },
    async publishRaw(role, key, value, partition) {
      const topic = topics[role];
      await log.admin.ensureTopics([{ topic, partitions }]);
      await producer.send([{ topic, key: key === null ? null : Buffer.from(key), value, partition }]);
    },
    async read<T>(output: keyof TopicNames) {
      const topic = topics[output];
      const values: T[] = [];
      const raw: LogRecord[] = [];
      const count = await log.admin.partitionCount(topic);
      for (let partition = 0; partition < count; partition++) {
        await log.readToEnd({ topic, partition, offset: '0' }, (records) => void raw.push(...records));
      }
      for (const record of raw) {
        const decoded = await serde.decode<T>(record.value);
        if (!decoded.ok) throw decoded.error;
        values.push(decoded.value);
      }
      return values;
    },
    async close() {
      for (const scorer of running) await scorer.stop();
      await producer.close();
      await log.close();
      await registry.close();
    },
  };
}
