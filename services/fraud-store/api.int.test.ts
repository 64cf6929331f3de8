// The REST API over real PostgreSQL and over PGlite (one contract suite), on an ephemeral port:
// listings, filters, keyset pagination across pages, the transaction detail with its explanation,
// validation errors, health and metrics.
import type { Alert, ScoredTransaction } from '../../schemas';
import { listen, type HealthStatus, type RunningServer } from '../shared/http';
import { createLogger } from '../shared/log';
import { createMetricsRegistry } from '../shared/metrics';
import type { LogRecord } from '../shared/stream';
import { createFraudStoreApp } from './api';
import type { StoreDatabase } from './database';
import { alertSink, scoredTransactionSink } from './sinks';
import { storeBatch } from './store-batch';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './testing/database';
import { alertOf, ruleHit, scoredTransaction, T0 } from './testing/fixtures';

const pad = (i: number) => String(i).padStart(2, '0');

// 24 transactions of acc-1 and 6 of acc-2; every third is flagged and alerted. Event times repeat in
// pairs, so pages must break ties by id without skipping or repeating.
const scored: ScoredTransaction[] = Array.from({ length: 30 }, (_, i) => {
  const flagged = i % 3 === 0;
  return scoredTransaction(`tx-${pad(i)}`, {
    accountId: i < 24 ? 'acc-1' : 'acc-2',
    eventTime: T0 + Math.floor(i / 2) * 60_000,
    ruleHits: flagged ? (i % 2 === 0 ? [ruleHit('velocity-burst')] : [ruleHit('new-device'), ruleHit('velocity-burst')]) : [],
    ...(flagged && i % 4 === 0 ? { decision: 'DECLINE' as const } : {}),
  });
});
const alerts: Alert[] = scored.filter((s) => s.ruleHits.length > 0).map((s) => alertOf(s, { alertId: `alert-${s.transaction.transactionId}` }));
const newestFirst = [...alerts].sort((a, b) => b.eventTime - a.eventTime || (a.alertId < b.alertId ? 1 : -1));

function asDecoded<T>(values: T[]) {
  return values.map((value, i) => ({ record: { topic: 't', partition: 0, offset: String(i) } as LogRecord, value }));
}

interface ErrorBody {
  error: { code: string; message: string; parameter?: string };
}

describe.each(DATABASE_KINDS)('fraud store REST API on %s', (kind) => {
  let testDb: TestDatabase;
  let db: StoreDatabase;
  let server: RunningServer;
  let consumer: HealthStatus;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = testDb.connect();
    await storeBatch(db, scoredTransactionSink, asDecoded(scored), []);
    await storeBatch(db, alertSink, asDecoded(alerts), []);
    server = await start(db);
  });
  afterAll(async () => {
    await server.close();
    await testDb.drop();
  });
  beforeEach(() => {
    consumer = { ok: true, detail: 'running' };
  });

  function start(database: StoreDatabase): Promise<RunningServer> {
    const logger = createLogger('fraud-store-test', 'silent');
    const metrics = createMetricsRegistry({ service: 'fraud-store-test' });
    return listen(createFraudStoreApp({ db: database, logger, metrics, consumerHealth: () => consumer }), 0);
  }

  async function get<T>(path: string, on = server): Promise<{ status: number; body: T }> {
    const res = await fetch(`${on.url}${path}`);
    return { status: res.status, body: (await res.json()) as T };
  }

  /** Follows nextCursor from `path` to the last page, returning every item in order. */
  async function walk<T>(path: string): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = cursor ? `${path}${separator}cursor=${cursor}` : path;
      const { status, body } = await get<{ items: T[]; nextCursor: string | null }>(url);
      expect(status).toBe(200);
      items.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    return { items, pages };
  }

  describe('GET /api/alerts', () => {
    it('lists alerts newest first, as the scorer wrote them', async () => {
      const { status, body } = await get<{ items: Alert[]; nextCursor: string | null }>('/api/alerts');
      expect(status).toBe(200);
      expect(body).toEqual({ items: newestFirst, nextCursor: null });
    });

    it('pages through every alert without gaps or repeats, ties in event time included', async () => {
      const { items, pages } = await walk<Alert>('/api/alerts?limit=3');
      expect(pages).toBe(4);
      expect(items.map((a) => a.alertId)).toEqual(newestFirst.map((a) => a.alertId));
    });

    it('filters by decision, rule and the event-time range [from, to)', async () => {
      const from = T0 + 3 * 60_000;
      const to = T0 + 12 * 60_000;
      const { items } = await walk<Alert>(`/api/alerts?decision=REVIEW&rule=new-device&from=${from}&to=${new Date(to).toISOString()}&limit=1`);
      const expected = newestFirst.filter(
        (a) => a.decision === 'REVIEW' && a.ruleHits.some((h) => h.ruleId === 'new-device') && a.eventTime >= from && a.eventTime < to,
      );
      expect(expected.length).toBeGreaterThan(1);
      expect(items).toEqual(expected);
      expect((await get<{ items: Alert[] }>('/api/alerts?decision=DECLINE')).body.items.every((a) => a.decision === 'DECLINE')).toBe(true);
      expect((await get<{ items: Alert[] }>(`/api/alerts?to=${T0}`)).body.items).toEqual([]);
    });

    it.each([
      ['limit=500', 'limit', /from 1 to 200/],
      ['decision=maybe', 'decision', /one of APPROVE, REVIEW, DECLINE/],
      ['from=last-week', 'from', /epoch milliseconds or an ISO 8601/],
      ['cursor=bm9wZQ', 'cursor', /nextCursor/],
      ['rules=velocity-burst', 'rules', /unknown parameter rules/],
      ['decision=REVIEW&decision=DECLINE', 'decision', /given once/],
    ])('answers ?%s with 400 naming %s', async (query, parameter, message) => {
      const { status, body } = await get<ErrorBody>(`/api/alerts?${query}`);
      expect(status).toBe(400);
      expect(body).toEqual({ error: { code: 'INVALID_PARAMETER', parameter, message: expect.stringMatching(message) } });
    });
  });

  describe('GET /api/transactions/:id', () => {
    it('returns the scored transaction with its explanation and alerts', async () => {
      const { status, body } = await get<{ scoredTransaction: ScoredTransaction; alerts: Alert[] }>('/api/transactions/tx-03');
      expect(status).toBe(200);
      expect(body).toEqual({ scoredTransaction: scored[3], alerts: [alerts.find((a) => a.transactionId === 'tx-03')] });
      expect(body.scoredTransaction.ruleHits.map((h) => [h.ruleId, h.evidence, h.stages[0].stage])).toEqual([
        ['new-device', { count: '5', windowMs: '60000' }, 'burst'],
        ['velocity-burst', { count: '5', windowMs: '60000' }, 'burst'],
      ]);
    });

    it('answers an unknown id with 404, and an id with control characters with 400', async () => {
      expect(await get<ErrorBody>('/api/transactions/tx-nope')).toEqual({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'no scored transaction with id "tx-nope"' } },
      });
      const { status, body } = await get<ErrorBody>('/api/transactions/tx%0A01');
      expect([status, body.error.parameter]).toEqual([400, 'id']);
    });
  });

  describe('GET /api/accounts/:id/timeline', () => {
    type Entry = { type: string; eventTime: number; transactionId?: string; alertId?: string; ruleIds: string[] };
    const idOf = (e: Entry) => (e.type === 'alert' ? e.alertId : e.transactionId)!;
    const accountEntries = (accountId: string): Entry[] =>
      scored
        .filter((s) => s.transaction.accountId === accountId)
        .flatMap((s) => {
          const { eventTime, transactionId } = s.transaction;
          const tx: Entry = { type: 'transaction', eventTime, transactionId, ruleIds: s.ruleHits.map((h) => h.ruleId) };
          const alert = alerts.find((a) => a.transactionId === s.transaction.transactionId);
          return alert ? [tx, { type: 'alert', eventTime: alert.eventTime, alertId: alert.alertId, ruleIds: tx.ruleIds }] : [tx];
        });

    it("interleaves the account's transactions and alerts in event-time order, across pages", async () => {
      const { items, pages } = await walk<Entry>('/api/accounts/acc-1/timeline?limit=5');
      expect(pages).toBe(7); // 24 transactions + 8 alerts
      // Same event time: transactions before alerts, then by id.
      const rank = (e: Entry) => (e.type === 'transaction' ? 0 : 1);
      const expected = accountEntries('acc-1').sort((a, b) => a.eventTime - b.eventTime || rank(a) - rank(b) || (idOf(a) < idOf(b) ? -1 : 1));
      const keys = (entries: Entry[]) => entries.map((e) => [e.type, e.eventTime, idOf(e), e.ruleIds]);
      expect(keys(items)).toEqual(keys(expected));
      expect(items.slice(0, 3)).toEqual([
        {
          type: 'transaction', eventTime: T0, transactionId: 'tx-00', amountMinor: 4_250, currency: 'EUR', merchantId: 'm-7',
          channel: 'ECOM', country: 'FR', score: 0.4, decision: 'DECLINE', late: false, ruleIds: ['velocity-burst'],
        },
        expect.objectContaining({ type: 'transaction', transactionId: 'tx-01', ruleIds: [] }),
        {
          type: 'alert', eventTime: T0, alertId: 'alert-tx-00', transactionId: 'tx-00', decision: 'DECLINE', score: 0.4,
          summary: alerts[0].summary, ruleIds: ['velocity-burst'],
        },
      ]);
    });

    it('limits the timeline to [from, to) and to the account', async () => {
      const { body } = await get<{ items: Entry[] }>(`/api/accounts/acc-2/timeline?from=${T0 + 12 * 60_000}&to=${T0 + 14 * 60_000}`);
      expect(body.items.map(idOf)).toEqual(['tx-24', 'tx-25', 'alert-tx-24', 'tx-26', 'tx-27', 'alert-tx-27']);
      expect((await get<{ items: Entry[] }>('/api/accounts/acc-unknown/timeline')).body).toEqual({ items: [], nextCursor: null });
    });

    it("refuses an alert listing's cursor with 400", async () => {
      const { body: page } = await get<{ nextCursor: string }>('/api/alerts?limit=1');
      const { status, body } = await get<ErrorBody>(`/api/accounts/acc-1/timeline?cursor=${page.nextCursor}`);
      expect([status, body.error.parameter]).toEqual([400, 'cursor']);
    });
  });

  describe('operations', () => {
    it('reports healthy when the database answers and the consumer runs, 503 otherwise', async () => {
      expect(await get('/healthz')).toEqual({
        status: 200,
        body: { status: 'ok', checks: { database: { ok: true }, consumer: { ok: true, detail: 'running' } } },
      });
      consumer = { ok: false, detail: 'paused: waiting for the database or the schema registry' };
      expect((await get<{ status: string }>('/healthz')).status).toBe(503);

      consumer = { ok: true, detail: 'running' };
      const unreachable: StoreDatabase = { ...db, query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) };
      const down = await start(unreachable);
      try {
        expect(await get('/healthz', down)).toEqual({
          status: 503,
          body: {
            status: 'unavailable',
            checks: { database: { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' }, consumer: { ok: true, detail: 'running' } },
          },
        });
        // A failing query is a 500 without the database's message.
        expect(await get('/api/alerts', down)).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } });
      } finally {
        await down.close();
      }
    });

    it('serves Prometheus metrics', async () => {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toMatch(/^process_cpu_user_seconds_total\{service="fraud-store-test"\} /m);
    });

    it('answers an unknown route with a JSON 404', async () => {
      expect(await get('/api/nothing')).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route for GET /api/nothing' } } });
    });
  });
});
