// Retention on real PostgreSQL and on PGlite (one contract suite): it removes what the policy no
// longer keeps, by event time and by row count, and nothing else.
import { Registry } from 'prom-client';
import type { LogRecord } from '../shared/stream';
import { createLogger } from '../shared/log';
import type { StoreDatabase } from './database';
import { applyRetention, DEFAULT_STORE_RETENTION, retentionFromEnv, startRetention, type StoreRetention } from './retention';
import { alertSink, scoredTransactionSink } from './sinks';
import { storeBatch } from './store-batch';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './testing/database';
import { alertOf, ruleHit, scoredTransaction, T0 } from './testing/fixtures';

const MINUTE = 60_000;

function logRecord(offset: number): LogRecord {
  return { topic: 'fraud.scored', partition: 0, offset: String(offset), key: Buffer.from('acc-1'), value: Buffer.from(`raw-${offset}`), timestamp: T0, headers: {} };
}

/** Scored transaction `tx-<minute>` at T0 + minute, each with a rule hit; an alert for every tenth. */
async function storeMinutes(db: StoreDatabase, minutes: readonly number[]): Promise<void> {
  const scored = minutes.map((m) => scoredTransaction(`tx-${m}`, { eventTime: T0 + m * MINUTE, ruleHits: [ruleHit('velocity-burst')] }));
  await storeBatch(db, scoredTransactionSink, scored.map((value, i) => ({ record: logRecord(i), value })), []);
  const alerts = scored.filter((_, i) => minutes[i] % 10 === 0).map((s) => alertOf(s));
  await storeBatch(db, alertSink, alerts.map((value, i) => ({ record: logRecord(i), value })), []);
}

const policy = (overrides: Partial<StoreRetention>): StoreRetention => ({ ...DEFAULT_STORE_RETENTION, ...overrides });

describe.each(DATABASE_KINDS)('fraud store retention on %s', (kind) => {
  let testDb: TestDatabase;
  let db: StoreDatabase;
  const reclaim = kind === 'pglite';
  beforeEach(async () => {
    testDb = await createTestDatabase(kind);
    db = testDb.connect();
  });
  afterEach(async () => testDb.drop());

  const ids = async (sql: string) => (await testDb.query<{ id: string }>(sql)).map((r) => r.id);
  const scoredIds = () => ids('SELECT transaction_id AS id FROM scored_transactions ORDER BY event_time');
  const hitIds = () => ids('SELECT transaction_id AS id FROM rule_hits ORDER BY event_time');
  const alertIds = () => ids('SELECT alert_id AS id FROM alerts ORDER BY event_time');
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('removes scored transactions (and their rule hits) older than the retention behind the newest, and alerts after their own, longer retention', async () => {
    await storeMinutes(db, range(0, 100));
    const pass = await applyRetention(db, policy({ scoredMs: 30 * MINUTE, alertMs: 60 * MINUTE }), { reclaim });
    // Newest at minute 99: scored kept from minute 69, alerts from minute 39.
    expect(pass).toEqual({ scoredRemoved: 69, alertsRemoved: 4 });
    expect(await scoredIds()).toEqual(range(69, 100).map((m) => `tx-${m}`));
    expect(await hitIds()).toEqual(range(69, 100).map((m) => `tx-${m}`));
    expect(await alertIds()).toEqual([40, 50, 60, 70, 80, 90].map((m) => `alert-tx-${m}`));
    // Nothing more to remove until newer records arrive.
    expect(await applyRetention(db, policy({ scoredMs: 30 * MINUTE, alertMs: 60 * MINUTE }), { reclaim })).toEqual({ scoredRemoved: 0, alertsRemoved: 0 });
  });

  it('keeps at most the newest scoredMaxRows scored transactions, and leaves alerts to their age', async () => {
    await storeMinutes(db, range(0, 50));
    expect(await applyRetention(db, policy({ scoredMaxRows: 12 }), { reclaim })).toEqual({ scoredRemoved: 38, alertsRemoved: 0 });
    expect(await scoredIds()).toEqual(range(38, 50).map((m) => `tx-${m}`));
    expect(await alertIds()).toHaveLength(5);
  });

  it('removes nothing from an empty store or one within its policy', async () => {
    expect(await applyRetention(db, DEFAULT_STORE_RETENTION, { reclaim })).toEqual({ scoredRemoved: 0, alertsRemoved: 0 });
    await storeMinutes(db, range(0, 20));
    expect(await applyRetention(db, policy({ scoredMaxRows: 20 }), { reclaim })).toEqual({ scoredRemoved: 0, alertsRemoved: 0 });
    expect(await scoredIds()).toHaveLength(20);
  });

  it('takes a removal larger than one delete statement', async () => {
    await storeMinutes(db, range(0, 12_000));
    expect((await applyRetention(db, policy({ scoredMaxRows: 100 }), { reclaim })).scoredRemoved).toBe(11_900);
    expect(await scoredIds()).toHaveLength(100);
  });

  it('runs periodically and counts the rows it removed', async () => {
    const metrics = new Registry();
    const retention = startRetention({ db, retention: policy({ scoredMaxRows: 5 }), reclaim, everyMs: 20, metrics, logger: createLogger('test', 'silent') });
    try {
      await storeMinutes(db, range(0, 30));
      const removed = async () => (await metrics.getSingleMetric('fraud_store_rows_removed_total')!.get()).values.find((v) => v.labels.table === 'scored_transactions')?.value ?? 0;
      for (let turn = 0; turn < 200 && (await removed()) < 25; turn++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await removed()).toBe(25);
      expect(await scoredIds()).toEqual(range(25, 30).map((m) => `tx-${m}`));
    } finally {
      await retention.stop();
    }
  });
});

describe('fraud store retention settings', () => {
  it('reads durations and a row limit from the environment, over the defaults', () => {
    expect(retentionFromEnv({}, DEFAULT_STORE_RETENTION)).toEqual(DEFAULT_STORE_RETENTION);
    expect(retentionFromEnv({ STORE_SCORED_RETENTION: '2d', STORE_SCORED_MAX_ROWS: '1000', STORE_ALERT_RETENTION: '30d' }, DEFAULT_STORE_RETENTION)).toEqual({
      scoredMs: 2 * 86_400_000,
      scoredMaxRows: 1000,
      alertMs: 30 * 86_400_000,
    });
    expect(() => retentionFromEnv({ STORE_SCORED_RETENTION: 'a week' }, DEFAULT_STORE_RETENTION)).toThrow(/STORE_SCORED_RETENTION/);
    expect(() => retentionFromEnv({ STORE_SCORED_MAX_ROWS: '0' }, DEFAULT_STORE_RETENTION)).toThrow(/STORE_SCORED_MAX_ROWS/);
  });
});
