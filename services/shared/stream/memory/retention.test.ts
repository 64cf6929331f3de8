import { Registry } from 'prom-client';
import type { LogRecord, PartitionBatch, RecordLog } from '../types';
import { createMemoryLog } from './log';

/** A clock the test moves: retention by time reads it, nothing else does. */
function testClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

async function readAll(log: RecordLog, topic: string, partition = 0): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  await log.readToEnd({ topic, partition, offset: '0' }, (batch) => void records.push(...batch));
  return records;
}

async function metricValues(registry: Registry, name: string): Promise<Array<{ labels: Record<string, string | number | undefined>; value: number }>> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values.map(({ labels, value }) => ({ labels: { ...labels }, value }));
}

/** Waits for what a running consumer delivers; fails instead of hanging when it never comes. */
async function eventually(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('the consumer did not deliver what was expected');
}

const value = (text: string) => Buffer.from(text.padEnd(40, '.'));
/** recordBytes of a keyless record of `value(...)`: 36 bytes of framing and 40 of value. */
const RECORD_BYTES = 76;

describe('memory log retention', () => {
  it('removes whole segments older than retention.ms, keeps every newer record, and never moves an offset', async () => {
    const clock = testClock();
    const registry = new Registry();
    const log = createMemoryLog({ retention: { ms: 60_000, bytes: Infinity }, segmentBytes: 10 * RECORD_BYTES, now: clock.now, metrics: registry });
    await log.admin.ensureTopics([{ topic: 'payments', partitions: 1 }]);
    const producer = await log.producer();
    for (let i = 0; i < 25; i++) await producer.send([{ topic: 'payments', value: value(`old-${i}`) }]);
    clock.advance(30_000);
    for (let i = 0; i < 25; i++) await producer.send([{ topic: 'payments', value: value(`new-${i}`) }]);
    expect((await readAll(log, 'payments')).length).toBe(50);

    // The first 25 were last appended 30 s before the rest; 31 s later only they are past 60 s.
    clock.advance(31_000);
    await producer.send([{ topic: 'payments', value: value('trigger') }]);
    const kept = await readAll(log, 'payments');
    // The segment holding old-20..old-24 also holds new-0..new-4, appended later: it stays whole.
    expect(kept.map((r) => r.value?.toString().replace(/\.+$/, ''))).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `old-${20 + i}`),
      ...Array.from({ length: 25 }, (_, i) => `new-${i}`),
      'trigger',
    ]);
    expect(kept.map((r) => Number(r.offset))).toEqual(Array.from({ length: 31 }, (_, i) => 20 + i));
    expect((await log.admin.endOffsets('payments'))[0].offset).toBe('51');
    expect(await metricValues(registry, 'peregrine_log_removed_records_total')).toEqual([{ labels: { topic: 'payments', cause: 'retention-time' }, value: 20 }]);
    expect(await metricValues(registry, 'peregrine_log_retained_bytes')).toEqual([{ labels: { topic: 'payments' }, value: 31 * RECORD_BYTES }]);
  });

  it('keeps at least retention.bytes per partition, removing the oldest segments beyond it', async () => {
    const registry = new Registry();
    const log = createMemoryLog({ retention: { ms: Infinity, bytes: 30 * RECORD_BYTES }, segmentBytes: 10 * RECORD_BYTES, metrics: registry });
    await log.admin.ensureTopics([{ topic: 'scored', partitions: 2 }]);
    const producer = await log.producer();
    for (let i = 0; i < 100; i++) await producer.send([{ topic: 'scored', partition: 0, value: value(`r-${i}`) }]);
    await producer.send([{ topic: 'scored', partition: 1, value: value('other') }]);
    const kept = await readAll(log, 'scored', 0);
    // As Kafka does: a segment goes only if the rest still holds retention.bytes.
    expect(kept.map((r) => Number(r.offset))).toEqual(Array.from({ length: 30 }, (_, i) => 70 + i));
    expect(await readAll(log, 'scored', 1)).toHaveLength(1);
    expect(await metricValues(registry, 'peregrine_log_removed_records_total')).toEqual([{ labels: { topic: 'scored', cause: 'retention-bytes' }, value: 70 }]);
  });

  it('lets a topic override the log retention, as a Kafka topic config does', async () => {
    const log = createMemoryLog({ retention: { ms: Infinity, bytes: 10 * RECORD_BYTES }, segmentBytes: 5 * RECORD_BYTES });
    await log.admin.ensureTopics([
      { topic: 'labels', partitions: 1, retention: { bytes: Infinity } },
      { topic: 'scored', partitions: 1 },
    ]);
    const producer = await log.producer();
    for (let i = 0; i < 50; i++) await producer.send([{ topic: 'labels', value: value(`l-${i}`) }, { topic: 'scored', value: value(`s-${i}`) }]);
    expect(await readAll(log, 'labels')).toHaveLength(50);
    expect(await readAll(log, 'scored')).toHaveLength(10);
  });

  it('compacts a compacted topic to the newest record per key, keeping offsets and young tombstones', async () => {
    const clock = testClock();
    const registry = new Registry();
    const log = createMemoryLog({ retention: { ms: 60_000, bytes: 1 }, segmentBytes: 1_000, now: clock.now, metrics: registry });
    await log.admin.ensureTopics([{ topic: 'profiles', partitions: 1, compacted: true }]);
    const producer = await log.producer();
    const newest = new Map<string, { offset: number; value: string | null }>();
    let offset = 0;
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 8; k++) {
        const key = `acc-${k}`;
        // acc-7 is deleted in round 20 and written again from round 30.
        const text = k === 7 && round >= 20 && round < 30 ? null : `${key} v${round}`;
        await producer.send([{ topic: 'profiles', key: Buffer.from(key), value: text === null ? null : Buffer.from(text) }]);
        newest.set(key, { offset: offset++, value: text });
      }
      if (round === 29) clock.advance(120_000); // the tombstones of rounds 20..29 are now old
    }
    const kept = await readAll(log, 'profiles');
    // Compaction (retention.bytes of 1 notwithstanding: a compacted topic only compacts) removed most records...
    expect(kept.length).toBeLessThan(320 / 2);
    // ...never the newest record of a key, and never an offset it kept.
    for (const [key, { offset: at, value: text }] of newest) {
      const record = kept.find((r) => r.key?.toString() === key && Number(r.offset) === at);
      expect(record?.value?.toString() ?? null).toBe(text);
    }
    const offsets = kept.map((r) => Number(r.offset));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    // Replayed as a restore does it, the kept records give each key its newest value.
    const restored = new Map(kept.map((r) => [r.key?.toString(), r.value?.toString() ?? null]));
    expect(restored).toEqual(new Map([...newest].map(([key, { value: text }]) => [key, text])));
    // Superseded records older than the active segment are gone; so are old tombstones.
    const closedEnd = Math.min(...[...newest.values()].map((n) => n.offset));
    expect(kept.filter((r) => Number(r.offset) < closedEnd && r.value === null)).toEqual([]);
    const [removed] = await metricValues(registry, 'peregrine_log_removed_records_total');
    expect(removed).toEqual({ labels: { topic: 'profiles', cause: 'compaction' }, value: 320 - kept.length });
  });

  it('resets a position that fell out of retention to the oldest record kept, logs and counts it, and delivers every record still kept once', async () => {
    const registry = new Registry();
    const warnings: unknown[] = [];
    const logger = { warn: (fields: unknown) => void warnings.push(fields) } as unknown as import('../../log').Logger;
    const log = createMemoryLog({ retention: { ms: Infinity, bytes: 20 * RECORD_BYTES }, segmentBytes: 10 * RECORD_BYTES, metrics: registry, logger });
    await log.admin.ensureTopics([{ topic: 'payments', partitions: 1 }]);
    const producer = await log.producer();
    const send = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) await producer.send([{ topic: 'payments', value: value(`p-${i}`) }]);
    };
    await send(0, 10);
    const consumer = log.consumer({ groupId: 'slow', topics: ['payments'] });
    await consumer.run({ eachBatch: async () => {} });
    await consumer.commitOffsets([{ topic: 'payments', partition: 0, offset: '5' }]);
    await consumer.stop();

    await send(10, 50); // retention keeps the newest 20 (offsets 40..59)
    const delivered: number[] = [];
    const again = log.consumer({ groupId: 'slow', topics: ['payments'] });
    await again.run({ eachBatch: async (batch: PartitionBatch) => void delivered.push(...batch.records.map((r) => Number(r.offset))) });
    await eventually(() => delivered.length >= 20);
    await again.stop();
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => 40 + i));
    expect(await metricValues(registry, 'peregrine_log_offset_resets_total')).toEqual([{ labels: { group: 'slow', topic: 'payments' }, value: 1 }]);
    expect(warnings).toEqual([expect.objectContaining({ groupId: 'slow', topic: 'payments', partition: 0, from: 5, to: 40 })]);
  });

  it('resets a consumer that starts at the end to the end, as auto.offset.reset=latest does', async () => {
    const registry = new Registry();
    const log = createMemoryLog({ retention: { ms: Infinity, bytes: 10 * RECORD_BYTES }, segmentBytes: 5 * RECORD_BYTES, metrics: registry });
    await log.admin.ensureTopics([{ topic: 'scored', partitions: 1 }]);
    const resets = async () => (await metricValues(registry, 'peregrine_log_offset_resets_total'))[0]?.value ?? 0;
    const producer = await log.producer();
    for (let i = 0; i < 40; i++) await producer.send([{ topic: 'scored', value: value(`s-${i}`) }]);
    const delivered: string[] = [];
    const consumer = log.consumer({ groupId: 'dashboard', topics: ['scored'], fromBeginning: false });
    await consumer.run({ eachBatch: async (batch) => void delivered.push(...batch.records.map((r) => r.offset)) });
    consumer.seek({ topic: 'scored', partition: 0, offset: '3' }); // long gone
    for (let turn = 0; turn < 100 && (await resets()) === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(await resets()).toBe(1);
    await producer.send([{ topic: 'scored', value: value('fresh') }]);
    await eventually(() => delivered.length >= 1);
    await consumer.stop();
    expect(delivered).toEqual(['40']);
  });
});
