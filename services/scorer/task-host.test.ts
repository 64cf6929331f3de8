// A task host between a consumer and a transactional producer: what it decides is committed with the
// offsets it consumed, and records redelivered from behind its position (kafkajs fetches from the
// committed offsets after a rejoin, while a transaction may still be on its way) are not decided twice.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Registry } from 'prom-client';
import { transaction } from '../../cep';
import { starterPack } from '../../rules/starter';
import { selfContainedSchema } from '../../schemas';
import { type RunningRegistry, startRegistryServer } from '../registry';
import { createLogger } from '../shared/log';
import { type AvroSerde, createAvroSerde } from '../shared/serde';
import { type LogRecord, type LogTransaction, type OutgoingRecord, type PartitionBatch, type TopicPartitionOffset, type TransactionalProducer, createMemoryLog } from '../shared/stream';
import { TOPIC_SCHEMAS, outputTopicSpecs, topicNames, valueSubject } from '../shared/topics';
import { scoringJob } from './job';
import { createScorerMetrics } from './metrics';
import { type ScorerCodecs, scorerCodecs } from './codecs';
import { TaskHost } from './task-host';

const topics = topicNames('task-host');
const BASE_TIME = Date.UTC(2026, 0, 5, 12, 0, 0);

function recordingProducer() {
  const sent: OutgoingRecord[] = [];
  const offsets: TopicPartitionOffset[] = [];
  const producer: TransactionalProducer = {
    transactionalId: 'task-host-0',
    async beginTransaction(): Promise<LogTransaction> {
      const records: OutgoingRecord[] = [];
      const consumed: TopicPartitionOffset[] = [];
      return {
        send: async (r) => void records.push(...r),
        sendOffsets: async (request) => void consumed.push(...request.offsets),
        commit: async () => {
          sent.push(...records);
          offsets.push(...consumed);
        },
        abort: async () => undefined,
      };
    },
    close: async () => undefined,
  };
  return { producer, sent, offsets };
}

describe('TaskHost', () => {
  let registry: RunningRegistry;
  let serde: AvroSerde;
  let codecs: ScorerCodecs;
  let transactionSchema: number;
  beforeAll(async () => {
    registry = await startRegistryServer({ port: 0 });
    serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    const log = createMemoryLog();
    await log.admin.ensureTopics(outputTopicSpecs(topics, 1));
    codecs = await scorerCodecs({ admin: log.admin, serde, topics, changelog: 'task-host.changelog', partitions: 1 });
    transactionSchema = await serde.register(valueSubject(topics.transactions), selfContainedSchema(TOPIC_SCHEMAS.transactions));
  });
  afterAll(async () => registry.close());

  async function batchOf(offsets: number[]): Promise<PartitionBatch> {
    const records: LogRecord[] = [];
    for (const offset of offsets) {
      const value = transaction({ transactionId: `tx-${offset}`, accountId: `acct-${offset}`, eventTime: BASE_TIME + offset * 60_000 });
      records.push({ topic: topics.transactions, partition: 0, offset: String(offset), key: Buffer.from(value.accountId), value: await serde.encode(transactionSchema, value), timestamp: value.eventTime, headers: {} });
    }
    const end = String(offsets[offsets.length - 1]! + 1);
    return { topic: topics.transactions, partition: 0, records, nextOffset: end, highWatermark: end };
  }

  function hostOn(producer: TransactionalProducer) {
    const job = scoringJob({ topics, pack: starterPack, outOfOrdernessMs: 5_000, idleTimeoutMs: 100, allowedLatenessMs: 60_000 });
    const metricsRegistry = new Registry();
    // A second of processing time per look at the clock: the inputs without data are idle at once.
    let wall = BASE_TIME;
    const clock = () => (wall += 1_000);
    const host = new TaskHost(job.createTask(0), producer, new Map([[topics.transactions, 0n]]), {
      groupId: 'group',
      serde,
      ...codecs,
      metrics: createScorerMetrics(metricsRegistry),
      logger: createLogger('task-host-test', 'silent'),
      now: clock,
      onFailure: (error) => {
        throw error;
      },
    });
    return { host, metricsRegistry };
  }

  it('decides a record redelivered from behind its position once, and commits the offsets with what it decided', async () => {
    const { producer, sent, offsets } = recordingProducer();
    const { host, metricsRegistry } = hostOn(producer);
    await host.processBatch(await batchOf([0, 1, 2]));
    // The consumer rejoined and fetches again from a committed offset behind the task.
    await host.processBatch(await batchOf([1, 2, 3, 4, 5, 6]));
    await host.close();

    const consumed = await metricsRegistry.getSingleMetric('peregrine_scorer_input_records_total')!.get();
    expect(consumed.values.reduce((sum, v) => sum + v.value, 0)).toBe(7);
    const scored = sent.filter((r) => r.topic === topics.scored).map((r) => r.key?.toString());
    // Six minutes of payments: all but the newest five seconds' are past the watermark.
    expect(scored).toEqual(['acct-0', 'acct-1', 'acct-2', 'acct-3', 'acct-4', 'acct-5']);
    expect(offsets.at(-1)).toEqual({ topic: topics.transactions, partition: 0, offset: '7' });
  });
});
