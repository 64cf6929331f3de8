// The fraud store between a record log (memory or real Kafka) and a test database: topics of its own,
// the embedded schema registry, and a producer that writes records as the scorer would.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Registry } from 'prom-client';
import { selfContainedSchema, type Alert, type ScoredTransaction } from '../../../schemas';
import { testKafka, uniqueName } from '../../../test/integration/kafka';
import { startRegistryServer, type RunningRegistry } from '../../registry';
import { createLogger } from '../../shared/log';
import { createAvroSerde, type AvroSerde } from '../../shared/serde';
import { createKafkaLog, createMemoryLog, type OutgoingRecord, type RecordLog } from '../../shared/stream';
import type { StoreDatabase } from '../database';
import { startFraudStore, type RunningFraudStore } from '../service';

export type LogKind = 'memory' | 'kafka';

export interface Pipeline {
  readonly log: RecordLog;
  readonly topics: { readonly scored: string; readonly alerts: string };
  readonly groupId: string;
  sendScored(values: readonly ScoredTransaction[], partition?: number): Promise<void>;
  /** As the scorer writes: in one transaction, whose commit marker follows the records. */
  sendScoredInTransaction(values: readonly ScoredTransaction[], partition?: number): Promise<void>;
  sendAlerts(values: readonly Alert[]): Promise<void>;
  /** Appends raw values, e.g. bytes that are not Avro, to partition 0 of `topic`. */
  sendRaw(topic: string, values: ReadonlyArray<Buffer | null>): Promise<void>;
  /** Registers a schema under another subject and frames `value` with it, as a foreign producer would. */
  encodeForeign(schema: 'Transaction', value: unknown): Promise<Buffer>;
  /** `log`: the store reads through it instead of the pipeline's own (a view of it that injects faults). */
  startStore(db: StoreDatabase, options?: { groupId?: string; onCrash?: (error: Error) => void; log?: RecordLog }): Promise<RunningFraudStore>;
  /** Creates the topics, for a pipeline made with `topicsLater`. */
  createTopics(): Promise<void>;
  close(): Promise<void>;
}

const PARTITIONS = 2;

/** `topicsLater`: the topics are created only by `createTopics`, as a scorer that starts after the store would. */
export async function createPipeline(kind: LogKind, { topicsLater = false } = {}): Promise<Pipeline> {
  const registry: RunningRegistry = await startRegistryServer({ port: 0 });
  const serde: AvroSerde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
  const log = kind === 'kafka' ? await createKafkaLog(testKafka('fraud-store-test')) : createMemoryLog({ maxBatchRecords: 7 });
  const topics = { scored: uniqueName('fraud.scored'), alerts: uniqueName('fraud.alerts') };
  const createTopics = () =>
    log.admin.ensureTopics([
      { topic: topics.scored, partitions: PARTITIONS },
      { topic: topics.alerts, partitions: PARTITIONS },
    ]);
  if (!topicsLater) await createTopics();
  const scoredId = await serde.register(`${topics.scored}-value`, selfContainedSchema('ScoredTransaction'));
  const alertId = await serde.register(`${topics.alerts}-value`, selfContainedSchema('Alert'));
  const producer = await log.producer();
  const stores: RunningFraudStore[] = [];
  const logger = createLogger('fraud-store-test', process.env.TEST_LOG_LEVEL ?? 'silent');

  const groupId = uniqueName('fraud-store');
  const send = (records: OutgoingRecord[]) => producer.send(records);
  const scoredRecords = (values: readonly ScoredTransaction[], partition?: number) =>
    Promise.all(values.map(async (v) => ({ topic: topics.scored, key: Buffer.from(v.transaction.accountId), value: await serde.encode(scoredId, v), partition })));
  return {
    log,
    topics,
    groupId,
    async sendScored(values, partition) {
      await send(await scoredRecords(values, partition));
    },
    async sendScoredInTransaction(values, partition) {
      const transactional = await log.transactionalProducer(uniqueName('scorer'));
      try {
        const transaction = await transactional.beginTransaction();
        await transaction.send(await scoredRecords(values, partition));
        await transaction.commit();
      } finally {
        await transactional.close();
      }
    },
    async sendAlerts(values) {
      const records = await Promise.all(
        values.map(async (v) => ({ topic: topics.alerts, key: Buffer.from(v.accountId), value: await serde.encode(alertId, v) })),
      );
      await send(records);
    },
    sendRaw: (topic, values) => send(values.map((value) => ({ topic, key: Buffer.from('acc-raw'), value, partition: 0 }))),
    async encodeForeign(schema, value) {
      return serde.encode(await serde.register(uniqueName('foreign'), selfContainedSchema(schema)), value);
    },
    async startStore(db, options = {}) {
      const store = await startFraudStore({
        db,
        log: options.log ?? log,
        serde,
        logger,
        port: 0,
        topics,
        groupId: options.groupId ?? groupId,
        backoff: { initialMs: 50, maxMs: 400 },
        topicPollMs: 50,
        onCrash: options.onCrash,
      });
      stores.push(store);
      return store;
    },
    createTopics,
    async close() {
      for (const store of stores) await store.close();
      await producer.close();
      await log.close();
      await registry.close();
    },
  };
}

/** The value of a counter or gauge for the labels given (0 when it was never touched). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

