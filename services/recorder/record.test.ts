// Recording from the in-memory log: the time range and its warm-up, every profile version before the
// end, the merge into event-time order, and the schemas the values need.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { authEvent, profile, transaction } from '../../cep';
import { selfContainedSchema } from '../../schemas';
import { startRegistryServer, type RunningRegistry } from '../registry';
import { type LogRecord, createMemoryLog } from '../shared/stream';
import { type RecordingHeader, readRecording, readRecordingHeader } from '../shared/recording';
import { createAvroSerde } from '../shared/serde';
import { TOPIC_SCHEMAS, topicNames, valueSubject } from '../shared/topics';
import { recordHistory } from './record';

const T = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;

describe('recording a history', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistryServer({ port: 0 });
  });
  afterAll(() => registry.close());

  it('keeps the range, a warm-up before it and every profile before its end, in event-time order, with the schemas', async () => {
    const log = createMemoryLog();
    const topics = topicNames('rec');
    const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    const producer = await log.producer();
    await log.admin.ensureTopics([topics.transactions, topics.profiles, topics.authEvents, topics.labels].map((topic) => ({ topic, partitions: 2 })));
    const send = async (role: 'transactions' | 'profiles' | 'authEvents', value: { accountId: string }, timestamp: number) => {
      const id = await serde.register(valueSubject(topics[role]), selfContainedSchema(TOPIC_SCHEMAS[role]));
      await producer.send([{ topic: topics[role], key: Buffer.from(value.accountId), value: await serde.encode(id, value), timestamp }]);
    };
    await send('profiles', profile({ accountId: 'a', updatedAt: T - 30 * 24 * 60 * MINUTE }), T - 30 * 24 * 60 * MINUTE);
    await send('transactions', transaction({ transactionId: 'too-early', accountId: 'a', eventTime: T - 2 * 60 * MINUTE }), T - 2 * 60 * MINUTE);
    await send('transactions', transaction({ transactionId: 'warm-up', accountId: 'a', eventTime: T - 30 * MINUTE }), T - 30 * MINUTE);
    await send('authEvents', authEvent({ accountId: 'b', eventTime: T + MINUTE }), T + MINUTE);
    await send('transactions', transaction({ transactionId: 'in-range-1', accountId: 'a', eventTime: T + MINUTE }), T + MINUTE);
    await send('transactions', transaction({ transactionId: 'in-range-2', accountId: 'b', eventTime: T + 2 * MINUTE }), T + 2 * MINUTE);
    await send('transactions', transaction({ transactionId: 'too-late', accountId: 'a', eventTime: T + 10 * MINUTE }), T + 10 * MINUTE);
    await send('profiles', profile({ accountId: 'b', updatedAt: T + 20 * MINUTE }), T + 20 * MINUTE);

    const out = join(mkdtempSync(join(tmpdir(), 'record-')), 'history.avro');
    const summary = await recordHistory({ log, topics, registryUrl: registry.url, from: T, to: T + 5 * MINUTE, out, source: 'test' });
    const header: RecordingHeader = readRecordingHeader(out);
    const records: LogRecord[] = [];
    for await (const record of readRecording(out)) records.push(record);
    const names = await Promise.all(records.map(async (r) => ((await serde.decode<{ transactionId?: string; eventId?: string; updatedAt?: number }>(r.value)) as { value: { transactionId?: string; eventId?: string; updatedAt?: number } }).value));
    expect(names.map((v) => v.transactionId ?? v.eventId ?? `profile@${v.updatedAt}`)).toEqual([`profile@${T - 30 * 24 * 60 * MINUTE}`, 'warm-up', 'auth-1', 'in-range-1', 'in-range-2']);
    expect(records.map((r) => r.timestamp)).toEqual([...records.map((r) => r.timestamp)].sort((a, b) => a - b));
    expect(summary).toMatchObject({ records: 5, byTopic: { [topics.transactions]: 3, [topics.profiles]: 1, [topics.authEvents]: 1 } });
    expect(header).toMatchObject({ format: 1, source: 'test', from: T, to: T + 5 * MINUTE, partitions: 2, records: 5, topics: { transactions: topics.transactions, labels: topics.labels } });
    expect(header.schemas.map((s) => s.subject).sort()).toEqual([topics.authEvents, topics.profiles, topics.transactions].map(valueSubject).sort());
    await log.close();
  });
});
