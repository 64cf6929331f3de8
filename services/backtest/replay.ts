// Replays a recording through the scorer's own job: the same decoding, engine, task host, output
// encoding and commit pipeline as `npm run scorer`, in process, with no broker. Each task host's
// transactions hand their records to the caller instead of a log, so nothing reaches a live topic.
//
// Time: a recording is a backlog, which the live scorer consumes with its catch-up clock standing
// still (no partition is taken for idle while records wait), so its decisions follow from the log
// alone. The replay does the same: processing time stands still while records flow. At the end,
// processing time moves on as it does once the live scorer has caught up (every partition idle: the
// watermark releases what the bound allows), and then the input ends, which decides what the live
// scorer would still hold.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Registry } from 'prom-client';
import type { Job } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import { SchemaStore, createRegistryApp } from '../registry';
import { listen } from '../shared/http';
import type { Logger } from '../shared/log';
import { type RecordingHeader, readRecording, readRecordingHeader } from '../shared/recording';
import { createAvroSerde, type AvroSerde } from '../shared/serde';
import { DEFAULT_MAX_MESSAGE_BYTES, type LogRecord, type OutgoingRecord, type TransactionalProducer } from '../shared/stream';
import { type TopicNames, Topics, changelogTopic, topicNames } from '../shared/topics';
import { scorerCodecs } from '../scorer/codecs';
import type { DecisionStep } from '../scorer/decisions';
import { scorerInputs } from '../scorer/inputs';
import { createScorerMetrics } from '../scorer/metrics';
import { TaskHost } from '../scorer/task-host';

/** Records read before the batches gathered from them are handed to the task hosts, as one fetch of a consumer. */
const FETCH_RECORDS = 5_000;
/** Far past any offset: every batch looks like part of a backlog to the catch-up clock. */
const BACKLOG_END = '9223372036854775807';
const GROUP_ID = 'peregrine-backtest';

/** One way of deciding: a job (rule pack, thresholds, event-time settings), fed the same records as the others. */
export interface ReplayVariant {
  readonly name: string;
  readonly job: Job<RuleEngineOutput>;
  /** Who decides the payments the job scores with a feature vector (default: the rules). */
  readonly decisions?: DecisionStep;
  /** Every record the variant's transactions commit: decisions, alerts and dead letters (changelog records are left out). */
  onOutput(record: OutgoingRecord): void | Promise<void>;
}

export interface ReplayOptions {
  readonly path: string;
  readonly variants: readonly ReplayVariant[];
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  /** Called with the serde the outputs will be encoded with, before the first record is replayed. */
  readonly onStart?: (serde: AvroSerde) => void | Promise<void>;
  /** Input records fed so far. */
  readonly onProgress?: (records: number) => void;
}

export interface ReplaySummary {
  readonly header: RecordingHeader;
  readonly inputRecords: number;
}

/** A transactional producer whose commits go to a callback. */
function collectingProducer(groupId: string, partition: number, changelog: string, onOutput: ReplayVariant['onOutput']): TransactionalProducer {
  return {
    transactionalId: `${groupId}-${partition}`,
    async beginTransaction() {
      const records: OutgoingRecord[] = [];
      return {
        send: async (sent) => void records.push(...sent),
        sendOffsets: async () => undefined,
        commit: async () => {
          for (const record of records) if (record.topic !== changelog) await onOutput(record);
        },
        abort: async () => undefined,
      };
    },
    close: async () => undefined,
  };
}

/** The recording's schemas, served with their ids by a registry of its own, so that outputs get the live ids too. */
async function recordedRegistry(header: RecordingHeader) {
  const store = new SchemaStore();
  for (const schema of header.schemas) store.load(schema);
  return listen(createRegistryApp({ store }), 0, '127.0.0.1');
}

export async function replayRecording(options: ReplayOptions): Promise<ReplaySummary> {
  const header = readRecordingHeader(options.path);
  const registry = await recordedRegistry(header);
  try {
    const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    await options.onStart?.(serde);
    const topics = recordingTopics(header);
    const changelog = changelogTopic(GROUP_ID);
    const admin = { maxMessageBytes: async () => DEFAULT_MAX_MESSAGE_BYTES };
    let wall = 0;
    const now = () => wall;
    let failure: Error | undefined;
    const hostsOf = async (variant: ReplayVariant) => {
      const codecs = await scorerCodecs({ admin, serde, topics, changelog, partitions: header.partitions, decisions: variant.decisions });
      const deps = {
        groupId: GROUP_ID,
        serde,
        ...codecs,
        metrics: createScorerMetrics(new Registry()),
        logger: options.logger,
        now,
        onFailure: (error: Error) => (failure ??= error),
      };
      const inputs = scorerInputs(topics);
      return Array.from({ length: header.partitions }, (_, partition) => {
        const positions = new Map(inputs.map(({ topic }) => [topic, 0n]));
        const producer = collectingProducer(GROUP_ID, partition, changelog, variant.onOutput);
        return new TaskHost(variant.job.createTask(partition), producer, positions, deps);
      });
    };
    const hosts = await Promise.all(options.variants.map(hostsOf));
    const everyHost = hosts.flat();

    // As the live scorer in a backlog, every partition holds the watermark back until its records
    // come, except those the history holds none of: the live scorer would wait for them until caught
    // up, holding every record meanwhile.
    const present = await partitionsWithRecords(options.path, header);
    for (const variant of hosts) {
      for (const host of variant) for (const { topic } of scorerInputs(topics)) if (!present.has(`${topic}\u0000${host.partition}`)) host.noteEmpty(topic);
    }

    // Records are gathered per partition, as a consumer's fetch gathers them: consecutive records of a
    // recording are of different partitions, and a batch (and its transaction) per record would cost
    // far more than deciding it. Batching changes no decision (the engine's order is its own).
    let inputRecords = 0;
    let buffered = 0;
    const batches = new Map<string, LogRecord[]>();
    const flush = async (records: LogRecord[]) => {
      const { topic, partition } = records[0]!;
      const nextOffset = String(BigInt(records.at(-1)!.offset) + 1n);
      for (const variant of hosts) await variant[partition]!.processBatch({ topic, partition, records, nextOffset, highWatermark: BACKLOG_END });
      if (failure) throw failure;
    };
    const flushAll = async () => {
      for (const records of batches.values()) await flush(records);
      batches.clear();
      buffered = 0;
      options.onProgress?.(inputRecords);
    };
    for await (const record of readRecording(options.path)) {
      if (record.topic === header.topics.labels) continue;
      if (record.partition >= header.partitions) throw new Error(`${record.topic} record at offset ${record.offset} is on partition ${record.partition}; the recording has ${header.partitions}`);
      const where = `${record.topic}\u0000${record.partition}`;
      const batch = batches.get(where);
      if (batch === undefined) batches.set(where, [record]);
      else batch.push(record);
      inputRecords++;
      if (++buffered >= FETCH_RECORDS) await flushAll();
    }
    await flushAll();

    // Caught up: processing time moves on, every partition goes idle, as live; then the input ends.
    for (const host of everyHost) {
      for (const { topic } of scorerInputs(topics)) host.noteProgress({ topic, partition: host.partition, nextOffset: BACKLOG_END, highWatermark: BACKLOG_END });
    }
    wall += options.idleTimeoutMs + 1;
    for (const host of everyHost) await host.tick();
    for (const host of everyHost) await host.finish();
    for (const host of everyHost) await host.close();
    if (failure) throw failure;
    options.onProgress?.(inputRecords);
    return { header, inputRecords };
  } finally {
    await registry.close();
  }
}

/** The input partitions a recording holds records of, as "topic NUL partition". */
async function partitionsWithRecords(path: string, header: RecordingHeader): Promise<Set<string>> {
  const present = new Set<string>();
  for await (const record of readRecording(path)) if (record.topic !== header.topics.labels) present.add(`${record.topic}\u0000${record.partition}`);
  return present;
}

/** The pipeline's topic names: the recording's inputs, and the outputs of the same namespace. */
export function recordingTopics(header: RecordingHeader): TopicNames {
  const namespace = header.topics.transactions.endsWith(`.${Topics.transactions}`) ? header.topics.transactions.slice(0, -Topics.transactions.length - 1) : '';
  return { ...topicNames(namespace), ...header.topics };
}
