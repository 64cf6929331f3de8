// A run through the serde into the in-memory log: byte-for-byte reproducible, keyed for
// co-partitioning, counted truthfully, paced, and stoppable.
import type { FraudLabel, Transaction } from '../../schemas/types';
import type { LogRecord } from '../shared/stream';
import type { Clock } from './publisher';
import { Topics } from '../shared/topics';
import { resolveOptions } from './options';
import { prepareSimulation, runSimulation } from './run';
import { SCENARIO_KINDS } from './scenarios/catalog';
import { memoryBackend, readTopic, type TestBackend } from './testing/memory-run';

const TOPICS = [Topics.transactions, Topics.profiles, Topics.authEvents, Topics.labels];
const SMALL = { rate: 0, count: 3_000, accounts: 4_000, malformed: 9, lateRatio: 0.01 } as const;

async function publishedBy(backend: TestBackend): Promise<Record<string, LogRecord[]>> {
  const out: Record<string, LogRecord[]> = {};
  for (const topic of TOPICS) out[topic] = await readTopic(backend.log, topic);
  return out;
}

const bytesOf = (records: Record<string, LogRecord[]>) =>
  Object.entries(records).flatMap(([topic, list]) => list.map((r) => `${topic}/${r.partition}/${r.offset}/${r.key?.toString('hex')}/${r.value?.toString('hex')}/${r.timestamp}`));

describe('runSimulation on the in-memory log', () => {
  const backends: TestBackend[] = [];
  const backend = async () => {
    const created = await memoryBackend();
    backends.push(created);
    return created;
  };
  afterAll(async () => Promise.all(backends.map((b) => b.close())));

  it('publishes byte-identical records for the same seed, and different ones for another', async () => {
    const [a, b, c] = [await backend(), await backend(), await backend()];
    await runSimulation({ ...SMALL, seed: 11 }, { log: a.log, serde: a.serde });
    await runSimulation({ ...SMALL, seed: 11 }, { log: b.log, serde: b.serde });
    await runSimulation({ ...SMALL, seed: 12 }, { log: c.log, serde: c.serde });
    const first = bytesOf(await publishedBy(a));
    expect(bytesOf(await publishedBy(b))).toEqual(first);
    expect(bytesOf(await publishedBy(c))).not.toEqual(first);
  });

  it('reports what it published: counts per topic, scenarios, near-misses, behavioural labels, late and malformed records', async () => {
    const { log, serde } = await backend();
    const summary = await runSimulation({ ...SMALL, scenarios: 2, partitions: 3 }, { log, serde });
    const published = await publishedBy({ log, serde } as TestBackend);
    for (const topic of TOPICS) expect(summary.records[topic]).toBe(published[topic]!.length);
    expect(await log.admin.partitionCount(Topics.transactions)).toBe(3);

    const labels = await Promise.all(published[Topics.labels]!.map(async (r) => (await serde.decode<FraudLabel>(r.value)) as { ok: true; value: FraudLabel }));
    const tally = (which: (label: FraudLabel) => boolean, key: (label: FraudLabel) => string) => {
      const counts: Record<string, number> = {};
      for (const { value } of labels) if (which(value)) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
      return counts;
    };
    expect(summary.scenarios).toEqual(tally((l) => !l.behavioural && l.fraud, (l) => l.expectedRuleId!));
    expect(summary.nearMisses).toEqual(tally((l) => !l.behavioural && !l.fraud, (l) => l.expectedRuleId!));
    expect(summary.behavioural).toEqual(tally((l) => l.behavioural, (l) => l.scenario));
    expect(Object.keys(summary.behavioural).length).toBeGreaterThan(0);
    expect(Object.values(summary.scenarios).reduce((a, b) => a + b, 0)).toBe(2 * SCENARIO_KINDS.filter((k) => k.fraud).length);
    expect(Object.values(summary.nearMisses).reduce((a, b) => a + b, 0)).toBe(2 * SCENARIO_KINDS.filter((k) => !k.fraud).length);
    expect(summary.malformed).toEqual({
      total: 9,
      byReason: { BAD_MAGIC_BYTE: 2, UNKNOWN_SCHEMA_ID: 1, TRUNCATED: 1, INVALID_BODY: 1, MISSING_KEY: 1, INVALID_AMOUNT: 1, UNKNOWN_CURRENCY: 1, EVENT_TIME_TOO_FAR_AHEAD: 1 },
    });
    expect(summary.late).toBeGreaterThan(10);
    expect(summary.stopped).toBe(false);
    expect(summary.transactions).toBe(published[Topics.transactions]!.length);
  });

  it('keys every input by account, on the same partition in every topic, stamped with event time', async () => {
    const { log, serde } = await backend();
    await runSimulation({ ...SMALL, malformed: 0 }, { log, serde });
    const partitionOf = new Map<string, number>();
    for (const topic of TOPICS) {
      for (const record of await readTopic(log, topic)) {
        const decoded = await serde.decode<{ accountId: string; eventTime?: number; updatedAt?: number }>(record.value);
        if (!decoded.ok) throw decoded.error;
        expect(record.key?.toString()).toBe(decoded.value.accountId);
        expect(record.timestamp).toBe(decoded.value.eventTime ?? decoded.value.updatedAt);
        const key = decoded.value.accountId;
        if (!partitionOf.has(key)) partitionOf.set(key, record.partition);
        expect(record.partition).toBe(partitionOf.get(key));
      }
    }
  });

  it('publishes a dormant account’s old payment before anything newer on its partition', async () => {
    const { log, serde } = await backend();
    const summary = await runSimulation({ ...SMALL, malformed: 0 }, { log, serde });
    expect(summary.scenarios['dormant-burst']).toBe(1);
    const records = await readTopic(log, Topics.transactions);
    const start = Date.parse(summary.start);
    expect(Date.parse(summary.end!)).toBe(Math.max(...records.map((r) => r.timestamp)));
    for (const old of records.filter((r) => r.timestamp < start)) {
      const newer = records.filter((r) => r.partition === old.partition && r.timestamp >= start);
      expect(newer.every((r) => BigInt(r.offset) > BigInt(old.offset))).toBe(true);
    }
  });

  it('stops on abort, publishes what it had generated, and says so', async () => {
    const { log, serde } = await backend();
    const controller = new AbortController();
    const summary = await runSimulation(
      { ...SMALL, count: 20_000, batchSize: 500 },
      { log, serde, signal: controller.signal, onProgress: ({ transactions }) => transactions > 2_000 && controller.abort() },
    );
    expect(summary.stopped).toBe(true);
    expect(summary.transactions).toBeLessThan(5_000);
    const published = await readTopic(log, Topics.transactions);
    expect(published).toHaveLength(summary.transactions);
  });

  it('in two phases publishes the history alone first, then the same records as one run', async () => {
    const [whole, phased] = [await backend(), await backend()];
    const options = { ...SMALL, seed: 5 };
    await runSimulation(options, { log: whole.log, serde: whole.serde });
    const run = await prepareSimulation(options, { log: phased.log, serde: phased.serde });
    await run.publishHistory();
    const history = Object.values(await publishedBy(phased)).flat();
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((r) => r.timestamp < resolveOptions(options).start)).toBe(true);
    await run.publishStream();
    expect(bytesOf(await publishedBy(phased))).toEqual(bytesOf(await publishedBy(whole)));
  });

  it('closed while its stream runs, stops it and publishes what it had generated', async () => {
    const { log, serde } = await backend();
    const run = await prepareSimulation({ ...SMALL, count: 20_000, batchSize: 500 }, { log, serde });
    await run.publishHistory();
    const streamed = run.publishStream();
    await run.close();
    const summary = await streamed;
    expect(summary.stopped).toBe(true);
    expect(summary.transactions).toBeLessThan(20_000);
    expect(await readTopic(log, Topics.transactions)).toHaveLength(summary.transactions);
  });

  it('paces payments to the rate on a processing-time clock', async () => {
    const { log, serde } = await backend();
    let now = 0;
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    const progress: number[] = [];
    const summary = await runSimulation(
      { rate: 200, count: 2_000, mix: 'rules', scenarios: 0, lateRatio: 0 },
      { log, serde, clock, onProgress: ({ transactions }) => progress.push(transactions) },
    );
    // 2,000 payments at 200/s: 10 s, in batches of 10 (50 ms each).
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(9_900);
    expect(summary.elapsedMs).toBeLessThanOrEqual(10_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(50);
    expect(progress[progress.length - 1]).toBe(2_000);
  });

  it('decodes every well-formed value it published', async () => {
    const { log, serde } = await backend();
    await runSimulation({ ...SMALL, malformed: 0 }, { log, serde });
    const payments = await readTopic(log, Topics.transactions);
    const decoded = await Promise.all(payments.map((r) => serde.decode<Transaction>(r.value)));
    expect(decoded.filter((d) => !d.ok)).toEqual([]);
  });
});
