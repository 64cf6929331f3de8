// The consumer on the memory log and on real Kafka, into real PostgreSQL and into PGlite: every record
// stored once, offsets committed after the database commit, replays harmless, bad records kept as rejects.
import { testKafka } from '../../test/integration/kafka';
import type { RunningFraudStore } from './service';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind, type TestDatabase } from './testing/database';
import { alertOf, ruleHit, scoredTransaction, T0 } from './testing/fixtures';
import { eventually } from '../../test/eventually';
import { createPipeline, metricValue, type LogKind, type Pipeline } from './testing/pipeline';

const population = (n: number, prefix = 'tx') =>
  Array.from({ length: n }, (_, i) =>
    scoredTransaction(`${prefix}-${i}`, {
      accountId: `acc-${i % 5}`,
      eventTime: T0 + i * 1_000,
      ruleHits: i % 3 === 0 ? [ruleHit('velocity-burst'), ruleHit('new-device')] : [],
    }),
  );

const combinations = DATABASE_KINDS.flatMap((database) => (['memory', 'kafka'] as const).map((log): [LogKind, DatabaseKind] => [log, database]));

describe.each(combinations)('fraud store consumer on the %s log into %s', (kind, database) => {
  let pipeline: Pipeline;
  let testDb: TestDatabase;
  let crashes: Error[];
  beforeEach(async () => {
    pipeline = await createPipeline(kind);
    testDb = await createTestDatabase(database);
    crashes = [];
  });
  afterEach(async () => {
    try {
      await pipeline.close();
    } finally {
      await testDb.drop();
    }
    expect(crashes).toEqual([]);
  });

  const start = (groupId?: string): Promise<RunningFraudStore> =>
    pipeline.startStore(testDb.connect(), { groupId, onCrash: (error) => crashes.push(error) });
  const count = async (table: string) => Number((await testDb.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const counts = async () => ({
    scored: await count('scored_transactions'),
    hits: await count('rule_hits'),
    alerts: await count('alerts'),
    rejects: await count('store_rejects'),
  });

  it('started before its topics exist, waits for them, then stores what comes', async () => {
    const early = await createPipeline(kind, { topicsLater: true });
    try {
      let started = false;
      const store = early.startStore(testDb.connect(), { onCrash: (error) => crashes.push(error) }).then((running) => ((started = true), running));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(started).toBe(false);
      await early.createTopics();
      await store;
      await early.sendScored(population(3));
      await eventually(counts, (c) => c.scored === 3, 'the records written once the topics exist');
    } finally {
      await early.close();
    }
  });

  it("commits past the commit marker of the scorer's transaction: caught up, it lags by nothing", async () => {
    await pipeline.sendScoredInTransaction(population(6), 0);
    const store = await start();
    await eventually(counts, (c) => c.scored === 6, 'the records of the transaction');
    const [end] = await pipeline.log.admin.endOffsets(pipeline.topics.scored);
    expect(BigInt(end!.offset)).toBeGreaterThan(6n); // the six records and the marker after them
    const committed = async () => (await pipeline.log.admin.committedOffsets(pipeline.groupId, pipeline.topics.scored)).find((p) => p.partition === 0)?.offset;
    await eventually(committed, (offset) => offset === end!.offset, `the committed offset at the end, ${end!.offset}`);
    expect(await metricValue(store.metrics, 'fraud_store_consumer_lag', { topic: pipeline.topics.scored, partition: '0' })).toBe(0);
  });

  it('stores every scored transaction and alert once, and a replay by another group adds no row', async () => {
    const scored = population(40);
    const alerts = scored.filter((s) => s.ruleHits.length > 0).map((s) => alertOf(s));
    await pipeline.sendScored(scored);
    await pipeline.sendAlerts(alerts);
    const expected = { scored: 40, hits: 28, alerts: 14, rejects: 0 };

    const first = await start();
    await eventually(counts, (c) => c.scored === 40 && c.alerts === 14, 'every record stored');
    expect(await counts()).toEqual(expected);
    expect(await metricValue(first.metrics, 'fraud_store_rows_written_total', { table: 'scored_transactions' })).toBe(40);

    // A second group reads the same topics from the beginning, as a rebuilt store or a replay would.
    const replay = await start(`${pipeline.groupId}-replay`);
    await eventually(() => metricValue(replay.metrics, 'fraud_store_records_total'), (n) => n === 54, 'the replay of every record');
    expect(await metricValue(replay.metrics, 'fraud_store_consumer_lag')).toBe(0);
    expect(await counts()).toEqual(expected);
    expect(await metricValue(replay.metrics, 'fraud_store_rows_written_total')).toBe(0);
    const [row] = await testDb.query("SELECT record FROM scored_transactions WHERE transaction_id = 'tx-3'");
    expect(row.record).toEqual(scored[3]);
  });

  it('keeps undecodable records as rejects with their bytes and goes on with the partition', async () => {
    const foreign = await pipeline.encodeForeign('Transaction', scoredTransaction('tx-foreign').transaction);
    const unknownSchemaId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xff, 1, 2]);
    await pipeline.sendScored([scoredTransaction('tx-before')], 0);
    await pipeline.sendRaw(pipeline.topics.scored, [Buffer.from('{"json":"not avro"}'), null, unknownSchemaId, foreign]);
    await pipeline.sendScored([scoredTransaction('tx-after')], 0);

    const store = await start();
    await eventually(counts, (c) => c.scored === 2, 'the records around the bad ones');
    const rejects = await testDb.query<{ offset: string; reason: string; record_value: Buffer | null }>(
      'SELECT "offset", reason, record_value FROM store_rejects ORDER BY "offset"',
    );
    expect(rejects).toEqual([
      { offset: '1', reason: 'BAD_MAGIC_BYTE', record_value: Buffer.from('{"json":"not avro"}') },
      { offset: '2', reason: 'TRUNCATED', record_value: null },
      { offset: '3', reason: 'UNKNOWN_SCHEMA_ID', record_value: unknownSchemaId },
      { offset: '4', reason: 'WRONG_RECORD_TYPE', record_value: foreign },
    ]);
    expect(await metricValue(store.metrics, 'fraud_store_rejects_total', { topic: pipeline.topics.scored })).toBe(4);
    expect(await metricValue(store.metrics, 'fraud_store_rejects_total', { reason: 'UNKNOWN_SCHEMA_ID' })).toBe(1);
    expect(store.ingest.state).toBe('running');
  });

  if (kind === 'kafka') {
    it('commits the offsets of stored batches, so a restarted store resumes after them', async () => {
      await pipeline.sendScored(population(20));
      const first = await start();
      await eventually(counts, (c) => c.scored === 20, 'the first records');
      await eventually(committedTotal, (n) => n === 20, 'offsets of every stored record');
      await first.close();

      await pipeline.sendScored(population(5, 'later'));
      const second = await start();
      await eventually(counts, (c) => c.scored === 25, 'the later records');
      // The restarted member read only what came after the committed offsets.
      expect(await metricValue(second.metrics, 'fraud_store_rows_written_total', { table: 'scored_transactions' })).toBe(5);
      await eventually(committedTotal, (n) => n === 25, 'offsets of the later records');
    });
  }

  async function committedTotal(): Promise<number> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId: pipeline.groupId, topics: [pipeline.topics.scored] });
      return topic.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }
});
