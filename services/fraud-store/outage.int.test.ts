// A database outage pauses consumption and loses nothing. The database is taken away through a TCP
// proxy (connections reset, new ones refused) because the PostgreSQL server is shared with other tests.
// So does a broker that cannot take the offsets of batches already stored (it stopped in between).
import { type GroupConsumer, LogError, LogErrorCode, type RecordLog } from '../shared/stream';
import type { RunningFraudStore } from './service';
import { createTestDatabase, type TestDatabase } from './testing/database';
import { scoredTransaction, T0 } from './testing/fixtures';
import { eventually } from '../../test/eventually';
import { createPipeline, metricValue, type LogKind, type Pipeline } from './testing/pipeline';
import { TcpProxy } from './testing/tcp-proxy';

const transactions = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    scoredTransaction(`tx-${from + i}`, { accountId: `acc-${(from + i) % 3}`, eventTime: T0 + (from + i) * 1_000 }),
  );

describe.each<LogKind>(['memory', 'kafka'])('a database outage under the %s log', (kind) => {
  let pipeline: Pipeline;
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let store: RunningFraudStore;
  const crashes: Error[] = [];

  beforeEach(async () => {
    pipeline = await createPipeline(kind);
    testDb = await createTestDatabase();
    const { hostname, port } = new URL(process.env.DATABASE_URL!);
    proxy = new TcpProxy({ host: hostname, port: Number(port || 5432) });
    await proxy.restore();
    store = await pipeline.startStore(testDb.connect(proxy.address), { onCrash: (error) => crashes.push(error) });
  });
  afterEach(async () => {
    try {
      await pipeline.close();
      await proxy.cut();
    } finally {
      await testDb.drop();
    }
  });

  const stored = async () => Number((await testDb.query<{ n: string }>('SELECT count(*) AS n FROM scored_transactions'))[0].n);
  const health = async () => {
    const res = await fetch(`${store.url}/healthz`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> } };
  };

  it('pauses while the database is away, then stores every record exactly once', async () => {
    await pipeline.sendScored(transactions(0, 15));
    await eventually(stored, (n) => n === 15, 'the records sent before the outage');

    await proxy.cut();
    await pipeline.sendScored(transactions(15, 15));
    // Several attempts failed and backed off; the consumer neither crashed nor skipped anything.
    await eventually(() => metricValue(store.metrics, 'fraud_store_retries_total', { dependency: 'database' }), (n) => n >= 3, 'retries');
    expect(store.ingest.state).toBe('paused');
    expect(await metricValue(store.metrics, 'fraud_store_records_total')).toBe(15);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.checks.database.ok).toBe(false);
    expect(await stored()).toBe(15);

    await proxy.restore();
    await eventually(stored, (n) => n === 30, 'the records sent during the outage');
    await eventually(() => metricValue(store.metrics, 'fraud_store_records_total'), (n) => n === 30, 'every record committed');
    expect(await eventually(health, (h) => h.status === 200, 'health to recover')).toMatchObject({
      body: { checks: { database: { ok: true }, consumer: { ok: true, detail: 'running' } } },
    });
    expect(await metricValue(store.metrics, 'fraud_store_consumer_paused')).toBe(0);
    const ids = await testDb.query<{ transaction_id: string }>('SELECT transaction_id FROM scored_transactions ORDER BY event_time');
    expect(ids.map((r) => r.transaction_id)).toEqual(transactions(0, 30).map((s) => s.transaction.transactionId));
    expect(await testDb.query('SELECT * FROM store_rejects')).toEqual([]);
    expect(crashes).toEqual([]);
  });
});

/** `log`, except that its consumers' first `failures` offset commits fail as they do while the broker is down. */
function withFailingCommits(log: RecordLog, failures: number): RecordLog {
  let failed = 0;
  const consumer = (options: Parameters<RecordLog['consumer']>[0]): GroupConsumer => {
    const inner = log.consumer(options);
    return {
      run: (handlers) => inner.run(handlers),
      async commitOffsets(offsets) {
        if (failed++ < failures) throw new LogError(LogErrorCode.Broker, 'commit offsets: Connection error: connect ECONNREFUSED 127.0.0.1:9092', { retriable: true });
        return inner.commitOffsets(offsets);
      },
      seek: (position) => inner.seek(position),
      pause: (partitions) => inner.pause(partitions),
      resume: (partitions) => inner.resume(partitions),
      stop: () => inner.stop(),
    };
  };
  return {
    admin: log.admin,
    producer: () => log.producer(),
    transactionalProducer: (id) => log.transactionalProducer(id),
    consumer,
    readToEnd: (from, onRecords) => log.readToEnd(from, onRecords),
    close: () => log.close(),
  };
}

describe.each<LogKind>(['memory', 'kafka'])('offsets the broker cannot take, under the %s log', (kind) => {
  let pipeline: Pipeline;
  let testDb: TestDatabase;

  beforeEach(async () => {
    pipeline = await createPipeline(kind);
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    try {
      await pipeline.close();
    } finally {
      await testDb.drop();
    }
  });

  it('pause consumption and store the batches again, each record once, without a crash', async () => {
    const crashes: Error[] = [];
    const store = await pipeline.startStore(testDb.connect(), { onCrash: (error) => crashes.push(error), log: withFailingCommits(pipeline.log, 3) });
    await pipeline.sendScored(transactions(0, 20));

    await eventually(() => metricValue(store.metrics, 'fraud_store_records_total'), (n) => n === 20, 'every record committed');
    expect(await metricValue(store.metrics, 'fraud_store_retries_total', { dependency: 'broker' })).toBe(3);
    expect(await metricValue(store.metrics, 'fraud_store_rows_written_total', { table: 'scored_transactions' })).toBe(20);
    const ids = await testDb.query<{ transaction_id: string }>('SELECT transaction_id FROM scored_transactions ORDER BY event_time');
    expect(ids.map((r) => r.transaction_id)).toEqual(transactions(0, 20).map((s) => s.transaction.transactionId));
    expect(store.ingest.state).toBe('running');
    expect(await metricValue(store.metrics, 'fraud_store_consumer_paused')).toBe(0);
    expect(crashes).toEqual([]);
  });
});
