// Batch writes on real PostgreSQL and on PGlite (one contract suite): idempotent upserts, one
// transaction per batch, and records the database refuses turned into rejects instead of blocking the batch.
import type { ScoredTransaction } from '../../schemas';
import type { LogRecord } from '../shared/stream';
import type { StoreDatabase } from './database';
import { RejectReason } from './rejects';
import { alertSink, scoredTransactionSink } from './sinks';
import { storeBatch, type Decoded } from './store-batch';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './testing/database';
import { alertOf, ruleHit, scoredTransaction, T0 } from './testing/fixtures';

function logRecord(offset: number, value = Buffer.from(`raw-${offset}`)): LogRecord {
  return { topic: 'fraud.scored', partition: 0, offset: String(offset), key: Buffer.from('acc-1'), value, timestamp: T0, headers: {} };
}

function decoded<T>(values: T[]): Decoded<T>[] {
  return values.map((value, i) => ({ record: logRecord(i), value }));
}

describe.each(DATABASE_KINDS)('storing a batch on %s', (kind) => {
  let testDb: TestDatabase;
  let db: StoreDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase(kind);
    db = testDb.connect();
  });
  afterEach(async () => testDb.drop());

  const count = async (table: string) => Number((await testDb.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('writes each transaction once with a row per rule hit, and a replay changes nothing', async () => {
    const flagged = scoredTransaction('tx-1', { ruleHits: [ruleHit('velocity-burst'), ruleHit('new-device', { severity: 'MEDIUM' })] });
    const batch = decoded([flagged, scoredTransaction('tx-2')]);

    expect((await storeBatch(db, scoredTransactionSink, batch, [])).rows).toEqual({ scored_transactions: 2, rule_hits: 2 });
    expect((await storeBatch(db, scoredTransactionSink, batch, [])).rows).toEqual({ scored_transactions: 0, rule_hits: 0 });

    expect(await count('scored_transactions')).toBe(2);
    const hits = await testDb.query('SELECT transaction_id, rule_id, severity, evidence, stages, event_time FROM rule_hits ORDER BY rule_id');
    const [burst, device] = flagged.ruleHits;
    expect(hits).toEqual([
      { transaction_id: 'tx-1', rule_id: 'new-device', severity: 'MEDIUM', evidence: device.evidence, stages: device.stages, event_time: String(T0) },
      { transaction_id: 'tx-1', rule_id: 'velocity-burst', severity: 'HIGH', evidence: burst.evidence, stages: burst.stages, event_time: String(T0) },
    ]);
    const [row] = await testDb.query("SELECT amount_minor, decision, record FROM scored_transactions WHERE transaction_id = 'tx-1'");
    expect(row).toEqual({ amount_minor: '4250', decision: 'REVIEW', record: flagged });
  });

  it('mirrors a re-scored transaction, dropping the rule hits it no longer has', async () => {
    const first = scoredTransaction('tx-1', { ruleHits: [ruleHit('velocity-burst'), ruleHit('new-device')] });
    await storeBatch(db, scoredTransactionSink, decoded([first]), []);
    const rescored = scoredTransaction('tx-1', { ruleHits: [ruleHit('new-device', { contribution: 0.9 })] });
    expect((await storeBatch(db, scoredTransactionSink, decoded([rescored]), [])).rows).toEqual({ scored_transactions: 1, rule_hits: 2 });
    expect(await testDb.query('SELECT rule_id, contribution FROM rule_hits')).toEqual([{ rule_id: 'new-device', contribution: 0.9 }]);
    expect(await testDb.query('SELECT score FROM scored_transactions')).toEqual([{ score: 0.9 }]);
  });

  it('keeps the later delivery when a batch holds the same transaction twice', async () => {
    const later = scoredTransaction('tx-1', { late: true });
    await storeBatch(db, scoredTransactionSink, decoded([scoredTransaction('tx-1'), later]), []);
    expect(await testDb.query('SELECT late FROM scored_transactions')).toEqual([{ late: true }]);
  });

  it('never writes a payment over another one with the same id: the later is a reject, in one batch or across batches', async () => {
    const first = scoredTransaction('tx-1');
    const other = scoredTransaction('tx-1', { accountId: 'acc-2' });
    const acrossBatches = await storeBatch(db, scoredTransactionSink, decoded([first]), []);
    expect(acrossBatches.rejects).toEqual([]);
    const second = await storeBatch(db, scoredTransactionSink, [{ record: logRecord(7), value: other }], []);
    expect(second.rejects.map((r) => [r.record.offset, r.reason])).toEqual([['7', RejectReason.Conflict]]);
    const inOneBatch = await storeBatch(db, scoredTransactionSink, decoded([scoredTransaction('tx-2'), scoredTransaction('tx-2', { accountId: 'acc-3' })]), []);
    expect(inOneBatch.rejects.map((r) => [r.record.offset, r.reason, r.detail])).toEqual([['1', 'CONFLICTING_TRANSACTION', 'tx-2 is stored already for another payment; the first one stands']]);
    expect(await testDb.query('SELECT transaction_id, account_id FROM scored_transactions ORDER BY transaction_id')).toEqual([
      { transaction_id: 'tx-1', account_id: 'acc-1' },
      { transaction_id: 'tx-2', account_id: 'acc-1' },
    ]);
    expect(await testDb.query('SELECT "offset", reason FROM store_rejects ORDER BY "offset"')).toEqual([
      { offset: '1', reason: 'CONFLICTING_TRANSACTION' },
      { offset: '7', reason: 'CONFLICTING_TRANSACTION' },
    ]);
    // The alert of the other payment does not replace the first payment's alert either; a re-decided one does.
    await storeBatch(db, alertSink, decoded([alertOf(first)]), []);
    const conflicting = await storeBatch(db, alertSink, [{ record: logRecord(8), value: alertOf(other) }], []);
    expect(conflicting.rejects.map((r) => r.reason)).toEqual(['CONFLICTING_TRANSACTION']);
    expect((await storeBatch(db, alertSink, [{ record: logRecord(9), value: alertOf(first, { decision: 'DECLINE' }) }], [])).rows).toEqual({ alerts: 1 });
  });

  it('commits nothing of a batch whose transaction breaks part-way', async () => {
    // The connection is lost after the first statement, as a database going away mid-batch.
    let statements = 0;
    const failing: StoreDatabase = {
      ...db,
      transaction: (work) =>
        db.transaction((tx) =>
          work({
            ...tx,
            query: async (sql, params) => {
              if (++statements > 1) throw new Error('Connection terminated unexpectedly');
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const batch = decoded([scoredTransaction('tx-1', { ruleHits: [ruleHit('velocity-burst')] })]);
    const reject = { record: logRecord(9), reason: 'BAD_MAGIC_BYTE', detail: 'not Avro' };
    await expect(storeBatch(failing, scoredTransactionSink, batch, [reject])).rejects.toThrow('Connection terminated');
    expect([await count('scored_transactions'), await count('rule_hits'), await count('store_rejects')]).toEqual([0, 0, 0]);

    await storeBatch(db, scoredTransactionSink, batch, [reject]);
    expect([await count('scored_transactions'), await count('rule_hits'), await count('store_rejects')]).toEqual([1, 1, 1]);
  });

  it('rejects the records the database refuses, with their bytes, and stores the rest of the batch', async () => {
    const absurd: ScoredTransaction = { ...scoredTransaction('tx-bad'), score: 2 };
    const twice = scoredTransaction('tx-twice', { ruleHits: [ruleHit('velocity-burst'), ruleHit('velocity-burst')] });
    const batch = decoded([scoredTransaction('tx-1'), absurd, twice, scoredTransaction('tx-2')]);
    const stored = await storeBatch(db, scoredTransactionSink, batch, []);

    expect(stored.rejects.map((r) => [r.record.offset, r.reason])).toEqual([
      ['1', RejectReason.RefusedByDatabase],
      ['2', RejectReason.RefusedByDatabase],
    ]);
    const kept = await testDb.query('SELECT transaction_id FROM scored_transactions ORDER BY 1');
    expect(kept).toEqual([{ transaction_id: 'tx-1' }, { transaction_id: 'tx-2' }]);
    const rejects = await testDb.query<{ offset: string; reason: string; detail: string; record_value: Buffer }>(
      'SELECT "offset", reason, detail, record_value FROM store_rejects ORDER BY "offset"',
    );
    expect(rejects).toEqual([
      { offset: '1', reason: 'REFUSED_BY_DATABASE', detail: expect.stringMatching(/check constraint/), record_value: Buffer.from('raw-1') },
      {
        offset: '2',
        reason: 'REFUSED_BY_DATABASE',
        detail: expect.stringMatching(/cannot affect row a second time/),
        record_value: Buffer.from('raw-2'),
      },
    ]);
  });

  it('upserts alerts by alert id with the rule ids to filter on, including account-level alerts', async () => {
    const scored = scoredTransaction('tx-1', { ruleHits: [ruleHit('velocity-burst')] });
    const accountLevel = { ...alertOf(scored), alertId: 'alert-logins', transactionId: null, cardId: null, amountMinor: null, currency: null };
    const batch = decoded([alertOf(scored), accountLevel]);
    expect((await storeBatch(db, alertSink, batch, [])).rows).toEqual({ alerts: 2 });
    expect((await storeBatch(db, alertSink, batch, [])).rows).toEqual({ alerts: 0 });
    expect(await testDb.query('SELECT alert_id, transaction_id, rule_ids FROM alerts ORDER BY alert_id')).toEqual([
      { alert_id: 'alert-logins', transaction_id: null, rule_ids: ['velocity-burst'] },
      { alert_id: 'alert-tx-1', transaction_id: 'tx-1', rule_ids: ['velocity-burst'] },
    ]);
  });
});
