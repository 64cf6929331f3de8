// A log that only appends, into a recording: what `npm run simulate -- --out FILE` publishes to instead
// of Kafka. Records get the partitions and offsets a broker would give them (Kafka's default
// partitioner, offsets counted per partition), so the file replays as the same history would from Kafka.
import { type LogAdmin, type LogProducer, type OutgoingRecord, type TopicSpec, createPartitionChooser } from '../stream';
import { type RecordedSchema, type RecordedTopics, type RecordingWriter, recordingWriter } from './recording';

/** The part of a record log a publisher uses. */
export interface AppendOnlyLog {
  readonly admin: Pick<LogAdmin, 'ensureTopics'>;
  producer(): Promise<LogProducer>;
}

export interface RecordingLogOptions {
  readonly path: string;
  readonly source: string;
  readonly topics: RecordedTopics;
  /** The schemas the values name, read when the first record is written (the publisher registers them first). */
  readonly schemas: () => Promise<readonly RecordedSchema[]>;
}

export interface RecordingLog extends AppendOnlyLog {
  /** Finishes the file; returns the records written. */
  close(): Promise<number>;
}

export function recordingLog(options: RecordingLogOptions): RecordingLog {
  const partitionCounts = new Map<string, number>();
  const nextOffsets = new Map<string, number>();
  const choosePartition = createPartitionChooser();
  let writer: Promise<RecordingWriter> | undefined;
  const open = () =>
    (writer ??= (async () => {
      const partitions = partitionCounts.get(options.topics.transactions);
      if (partitions === undefined) throw new Error(`a recording needs ${options.topics.transactions} to be created before records are written`);
      const schemas = await options.schemas();
      return recordingWriter(options.path, { format: 1, source: options.source, from: null, to: null, topics: options.topics, partitions, records: null, schemas });
    })());
  const append = async (record: OutgoingRecord) => {
    const count = partitionCounts.get(record.topic);
    if (count === undefined) throw new Error(`topic ${record.topic} was not created`);
    const partition = record.partition ?? choosePartition(record.topic, count, record.key ?? null);
    const where = `${record.topic}\u0000${partition}`;
    const offset = nextOffsets.get(where) ?? 0;
    nextOffsets.set(where, offset + 1);
    await (await open()).write({ topic: record.topic, partition, offset: String(offset), key: record.key ?? null, value: record.value, timestamp: record.timestamp ?? 0, headers: record.headers ?? {} });
  };
  return {
    admin: {
      async ensureTopics(specs: readonly TopicSpec[]) {
        for (const { topic, partitions } of specs) if (!partitionCounts.has(topic)) partitionCounts.set(topic, partitions);
      },
    },
    async producer() {
      return {
        async send(records) {
          for (const record of records) await append(record);
        },
        async close() {},
      };
    },
    async close() {
      return (await open()).close();
    },
  };
}
