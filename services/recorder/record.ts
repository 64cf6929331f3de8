// Records the inputs of a history (payments, profiles, logins) and its labels from a record log, Kafka
// or the in-memory log, into a recording (services/shared/recording). Each partition is read to its
// end, filtered by event time, and kept aside; the partitions are then merged into one file in
// event-time order, as a consumer reading them side by side would see them, so that a replay holds
// only the records of the out-of-orderness bound in memory however long the history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedTopics, type RecordingHeader, readRecording, recordingWriter, registrySchemas } from '../shared/recording';
import { HEADER_LENGTH } from '../shared/serde/wire-format';
import type { LogRecord, RecordLog } from '../shared/stream';
import { type TopicNames, valueSubject } from '../shared/topics';


/** Before `from`, the look-back features, sessions and patterns need a history to start from. */
export const DEFAULT_WARMUP_MS = 3_600_000;

export interface RecordOptions {
  readonly log: RecordLog;
  readonly topics: TopicNames;
  /** The registry the records' schema ids belong to (REST base URL). */
  readonly registryUrl: string;
  /** Event time measured, [from, to); both open by default. */
  readonly from?: number;
  readonly to?: number;
  /** Payments and logins this much before `from` are recorded too, to warm the state up. Profiles are recorded from the start. */
  readonly warmupMs?: number;
  readonly out: string;
  /** For the header: where the records came from. */
  readonly source: string;
  /** Records read so far, of the records in the log. */
  readonly onProgress?: (read: number, total: number) => void;
}

export interface RecordSummary {
  readonly out: string;
  readonly records: number;
  readonly byTopic: Readonly<Record<string, number>>;
}

export async function recordHistory(options: RecordOptions): Promise<RecordSummary> {
  const { log, topics } = options;
  const recorded: RecordedTopics = { transactions: topics.transactions, profiles: topics.profiles, authEvents: topics.authEvents, labels: topics.labels };
  // The scorer's input ranks first (profiles, logins, payments), then the labels: the order of
  // records with equal timestamps in the file.
  const readOrder = [topics.profiles, topics.authEvents, topics.transactions, topics.labels];
  const partitions = await log.admin.partitionCount(topics.transactions);
  for (const topic of [topics.profiles, topics.authEvents]) {
    const count = await log.admin.partitionCount(topic);
    if (count !== partitions) throw new Error(`${topic} has ${count} partitions and ${topics.transactions} ${partitions}: the inputs must be co-partitioned`);
  }
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const warmFrom = from - (options.warmupMs ?? DEFAULT_WARMUP_MS);
  const keeps = (topic: string, timestamp: number) => timestamp < to && (topic === topics.profiles || timestamp >= warmFrom);

  const sources: Array<{ topic: string; partition: number }> = [];
  let total = 0;
  for (const topic of readOrder) {
    const ends = await log.admin.endOffsets(topic).catch(() => null); // labels are optional
    if (ends === null) continue;
    for (const { partition, offset } of ends) {
      sources.push({ topic, partition });
      total += Number(offset);
    }
  }

  const scratch = mkdtempSync(join(tmpdir(), 'peregrine-record-'));
  try {
    const schemaIds = new Set<number>();
    const parts: string[] = [];
    let kept = 0;
    let read = 0;
    for (const [index, source] of sources.entries()) {
      const part = join(scratch, `${index}.avro`);
      const writer = recordingWriter(part, scratchHeader(recorded, partitions));
      await log.readToEnd({ ...source, offset: '0' }, async (records) => {
        for (const record of records) {
          if (!keeps(record.topic, record.timestamp)) continue;
          if (record.value !== null && record.value.length >= HEADER_LENGTH && record.value[0] === 0) schemaIds.add(record.value.readInt32BE(1));
          await writer.write(record);
        }
        read += records.length;
        options.onProgress?.(read, total);
      });
      kept += await writer.close();
      parts.push(part);
    }
    const subjects = [...Object.values(recorded), topics.scored, topics.alerts, topics.deadLetters].map(valueSubject);
    const header: RecordingHeader = {
      format: 1,
      source: options.source,
      from: Number.isFinite(from) ? from : null,
      to: Number.isFinite(to) ? to : null,
      topics: recorded,
      partitions,
      records: kept,
      schemas: await registrySchemas(options.registryUrl, subjects, schemaIds),
    };
    const byTopic = await mergeByEventTime(parts, options.out, header);
    return { out: options.out, records: Object.values(byTopic).reduce((a, b) => a + b, 0), byTopic };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function scratchHeader(topics: RecordedTopics, partitions: number): RecordingHeader {
  return { format: 1, source: 'scratch', from: null, to: null, topics, partitions, records: null, schemas: [] };
}

/**
 * Merges partitions, each in offset order, by record timestamp (ties by the order of `parts`, then
 * offset order): every partition keeps its own order, and the file runs along event time.
 */
async function mergeByEventTime(parts: readonly string[], out: string, header: RecordingHeader): Promise<Record<string, number>> {
  const readers = parts.map((part) => readRecording(part));
  const heads: Array<LogRecord | undefined> = await Promise.all(readers.map(async (reader) => (await reader.next()).value ?? undefined));
  const writer = recordingWriter(out, header);
  const byTopic: Record<string, number> = {};
  for (;;) {
    let next = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head !== undefined && (next < 0 || head.timestamp < heads[next]!.timestamp)) next = i;
    }
    if (next < 0) break;
    const record = heads[next]!;
    await writer.write(record);
    byTopic[record.topic] = (byTopic[record.topic] ?? 0) + 1;
    heads[next] = (await readers[next]!.next()).value ?? undefined;
  }
  await writer.close();
  return byTopic;
}
