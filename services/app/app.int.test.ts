// `npm start` as a person meets it: the app on a free port, on the in-memory log and PGlite, and the
// same app on the test broker. Within the first 30 seconds it is healthy, serves its metrics, and the
// API lists an alert with its explanation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../test/eventually';
import { readRecordingHeader } from '../shared/recording';
import { brokersFromEnv, uniqueName } from '../../test/integration/kafka';
import type { Alert } from '../../schemas';
import { createLogger } from '../shared/log';
import { startApp, type Mount, type RunningApp } from './app';
import { DEFAULT_FRAUD_RATE } from '../simulator/options';
import { DEFAULT_DURATION_MS, DEFAULT_LOG_RETENTION, DEFAULT_MIX, DEFAULT_RATE, DEFAULT_SCENARIOS, type AppOptions } from './options';

const FIRST_ALERT_WITHIN_MS = 30_000;

function options(overrides: Partial<AppOptions>): AppOptions {
  return {
    port: 0,
    host: '127.0.0.1',
    namespace: '',
    logRetention: DEFAULT_LOG_RETENTION,
    simulation: { rate: DEFAULT_RATE, durationMs: DEFAULT_DURATION_MS, mix: DEFAULT_MIX, fraudRate: DEFAULT_FRAUD_RATE, scenarios: DEFAULT_SCENARIOS },
    ...overrides,
  };
}

async function get(app: RunningApp, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Checks the demo's first half minute; returns the records the scorer had found late by then. */
async function expectLiveDemo(app: RunningApp): Promise<number> {
  const started = Date.now();
  const alert = await eventually(
    async () => (JSON.parse((await get(app, '/api/alerts?limit=1')).text) as { items: Alert[] }).items[0],
    (first) => first !== undefined,
    'an alert',
    FIRST_ALERT_WITHIN_MS,
  );
  expect(alert.ruleHits.length).toBeGreaterThan(0);
  expect(alert.ruleHits[0].explanation).toMatch(/\w+ \w+/);
  expect(alert.summary).toContain(alert.ruleHits[0].ruleId);
  // The alert and its scored transaction come from two topics, each stored as its batch arrives, so
  // the transaction's row may land a moment after the alert's.
  const detail = await eventually(
    () => get(app, `/api/transactions/${alert.transactionId}`),
    (res) => res.status !== 404,
    "the alert's scored transaction",
    FIRST_ALERT_WITHIN_MS - (Date.now() - started),
  ).then((res) => JSON.parse(res.text));
  expect(detail.scoredTransaction.ruleHits).toEqual(alert.ruleHits);

  const health = await get(app, '/healthz');
  expect([health.status, JSON.parse(health.text).status]).toEqual([200, 'ok']);
  const metrics = await get(app, '/metrics');
  expect(metrics.type).toMatch(/^text\/plain/);
  // One registry for every part: the scorer's and the fraud store's counters side by side.
  expect(metrics.text).toMatch(/^peregrine_scorer_alerts_total\{service="peregrine"\} [1-9]/m);
  expect(metrics.text).toMatch(/^fraud_store_rows_written_total\{table="alerts",service="peregrine"\} [1-9]/m);
  return Number(/^peregrine_scorer_late_records_total\{service="peregrine"\} (\d+)/m.exec(metrics.text)?.[1] ?? 0);
}

/**
 * Only the payments the simulator holds back on purpose are late: its history, dated days to months
 * back, went out before the scorer joined and was ordered as a backlog (docs/event-time.md).
 */
async function expectOnlyDeliberateLateness(app: RunningApp, late: number): Promise<void> {
  const summary = await app.simulation;
  expect(summary).toBeDefined();
  expect(late).toBeLessThanOrEqual(summary!.late);
}

const MODEL_FIXTURE = join(__dirname, '..', 'scorer', 'model', 'testing', 'starter-model');
const logger = createLogger('app-test', process.env.TEST_LOG_LEVEL ?? 'silent');

describe('the embedded app', () => {
  it('on the in-memory log and PGlite: healthy, measured, and explaining an alert within 30 s, with the dashboard', async () => {
    const app = await startApp(options({}), { env: {}, logger });
    let late = 0;
    try {
      late = await expectLiveDemo(app);
      const page = await get(app, '/');
      expect([page.status, page.type]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      expect((await get(app, '/socket.io/socket.io.js')).status).toBe(200);
      expect(JSON.parse((await get(app, '/healthz')).text).checks.dashboard).toMatchObject({ ok: true });
      expect(await get(app, '/nothing-here')).toMatchObject({ status: 404, text: expect.stringContaining('"NOT_FOUND"') });
      // The log and the database under their retention report what they hold and remove.
      const metrics = (await get(app, '/metrics')).text;
      expect(metrics).toMatch(/^peregrine_log_retained_bytes\{topic="fraud\.scored",service="peregrine"\} [1-9]/m);
      expect(metrics).toMatch(/^fraud_store_rows_removed_total\{table="scored_transactions",service="peregrine"\} \d+$/m);
      // The embedded registry is served on the same port.
      expect(JSON.parse((await get(app, '/registry/subjects')).text)).toContain('fraud.alerts-value');
      // The in-memory log's history, as a recording for npm run backtest.
      const recording = await fetch(`${app.url}/recording?warmup=1h`);
      expect(recording.status).toBe(200);
      // RFC 6266 lets the token go unquoted; content-disposition 1.x does so.
      expect(recording.headers.get('content-disposition')).toMatch(/^attachment; filename="?history\.avro"?$/);
      const dir = mkdtempSync(join(tmpdir(), 'app-recording-'));
      writeFileSync(join(dir, 'history.avro'), Buffer.from(await recording.arrayBuffer()));
      expect(readRecordingHeader(join(dir, 'history.avro'))).toMatchObject({ source: `npm start at ${app.url}`, partitions: 4, records: expect.any(Number) });
      expect((await get(app, '/recording?from=yesterday')).status).toBe(400);
    } finally {
      await app.close();
    }
    expect((await app.simulation)?.stopped).toBe(true);
    await expectOnlyDeliberateLateness(app, late);
  });

  it('closes what it mounted, and mounts sit before the 404', async () => {
    const closedMounts: string[] = [];
    const mount: Mount = async ({ app, topics, groupId }) => {
      app.get('/mounted', (_req, res) => {
        res.json({ scored: topics.scored, groupId });
      });
      return { health: () => ({ ok: true, detail: 'mounted' }), close: async () => void closedMounts.push('mounted') };
    };
    const app = await startApp(options({}), { env: {}, logger, mounts: { extra: mount } });
    try {
      expect(JSON.parse((await get(app, '/mounted')).text)).toEqual({ scored: 'fraud.scored', groupId: 'peregrine-extra' });
      expect(JSON.parse((await get(app, '/healthz')).text).checks.extra).toEqual({ ok: true, detail: 'mounted' });
    } finally {
      await app.close();
    }
    expect(closedMounts).toEqual(['mounted']);
  });

  it('with --model: the model decides, and the API serves its score and explanation with every decision', async () => {
    // Thresholds low enough that the first payments alert.
    const app = await startApp(options({ model: MODEL_FIXTURE }), { env: { REVIEW_THRESHOLD: '0.01', DECLINE_THRESHOLD: '0.9' }, logger });
    try {
      const alert = await eventually(
        async () => (JSON.parse((await get(app, '/api/alerts?limit=1')).text) as { items: Alert[] }).items[0],
        (first) => first?.transactionId != null,
        'an alert on a payment',
        FIRST_ALERT_WITHIN_MS,
      );
      expect(alert.model).toMatchObject({ model: expect.stringMatching(/^starter-model@[0-9a-f]{12}$/), score: alert.score, method: 'tree-shap' });
      expect(alert.model!.contributions.length).toBeGreaterThan(0);
      const detail = await eventually(() => get(app, `/api/transactions/${alert.transactionId}`), (res) => res.status !== 404, "the alert's scored transaction").then((res) => JSON.parse(res.text));
      expect(detail.scoredTransaction.model).toEqual(alert.model);
      expect((await get(app, '/metrics')).text).toMatch(/^peregrine_scorer_model_loads_total\{outcome="loaded",service="peregrine"\} 1$/m);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a model that cannot serve, saying why', async () => {
    await expect(startApp(options({ model: join(tmpdir(), 'no-such-model') }), { env: {}, logger })).rejects.toThrow(/cannot read the model in .*no-such-model/);
  });

  it('on Kafka (--kafka): the same within 30 s', async () => {
    const app = await startApp(options({ kafka: brokersFromEnv(), namespace: uniqueName('app') }), { env: {}, logger });
    let late = 0;
    try {
      late = await expectLiveDemo(app);
    } finally {
      await app.close();
    }
    await expectOnlyDeliberateLateness(app, late);
  });
});
