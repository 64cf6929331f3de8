// The dashboard mounted on a real http.Server, fed through the in-memory log, read by socket.io-client.
import { createServer } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import express from 'express';
import type { Socket } from 'socket.io-client';
import { selfContainedSchema } from '../../schemas';
import { alertOf, ruleHit, scoredTransaction } from '../fraud-store/testing/fixtures';
import { startRegistryServer, type RunningRegistry } from '../registry';
import { listenServer, type RunningServer } from '../shared/http';
import { createLogger } from '../shared/log';
import { createAvroSerde, type AvroSerde } from '../shared/serde';
import { createMemoryLog, type LogProducer, type RecordLog } from '../shared/stream';
import { Topics, valueSubject } from '../shared/topics';
import { attachDashboard, type AttachedDashboard } from './attach';
import type { DashboardFrame } from './protocol';
import { connectClient, nextFrame } from './testing/client';

const logger = createLogger('dashboard-test', process.env.TEST_LOG_LEVEL ?? 'silent');

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('attachDashboard', () => {
  let registry: RunningRegistry;
  let serde: AvroSerde;
  let log: RecordLog;
  let producer: LogProducer;
  let http: RunningServer;
  let dashboard: AttachedDashboard;
  const sockets: Socket[] = [];

  const open = async (): Promise<{ socket: Socket; snapshot: DashboardFrame }> => {
    const socket = connectClient(http.url);
    sockets.push(socket);
    return { socket, snapshot: await nextFrame(socket, 'snapshot') };
  };

  const encoder = async (topic: string, schema: 'ScoredTransaction' | 'Alert') => {
    const id = await serde.register(valueSubject(topic), selfContainedSchema(schema));
    return (value: unknown) => serde.encode(id, value);
  };

  const metric = async (name: string): Promise<number> => {
    const values = (await dashboard.metrics.getSingleMetric(name)?.get())?.values ?? [];
    return values.reduce((sum, v) => sum + v.value, 0);
  };

  beforeEach(async () => {
    registry = await startRegistryServer({ port: 0 });
    serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
    log = createMemoryLog();
    producer = await log.producer();
  });

  const attach = async () => {
    const app = express();
    const server = createServer(app);
    dashboard = await attachDashboard({ app, server, log, serde, logger, flushMs: 200 });
    http = await listenServer(server, 0);
  };

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await dashboard.close();
    await http.close();
    await producer.close();
    await registry.close();
  });

  describe('with the topics in place', () => {
    beforeEach(async () => {
      await log.admin.ensureTopics([
        { topic: Topics.scored, partitions: 2 },
        { topic: Topics.alerts, partitions: 2 },
      ]);
      await attach();
      await dashboard.ready;
    });

    it('pushes several records as one update, and gives a later client everything in its snapshot', async () => {
      const first = await open();
      expect(first.snapshot.transactions).toEqual([]);
      expect(first.snapshot.stats.scored).toBe(0);

      const updates: DashboardFrame[] = [];
      first.socket.on('update', (frame: DashboardFrame) => updates.push(frame));
      const scored = await encoder(Topics.scored, 'ScoredTransaction');
      // One key, one send: the consumer reads the five as one batch, so they land between two flushes.
      const values = await Promise.all([1, 2, 3, 4, 5].map((i) => scored(scoredTransaction(`tx-${i}`, { accountId: 'acc-7' }))));
      await producer.send(values.map((value) => ({ topic: Topics.scored, key: Buffer.from('acc-7'), value })));

      await eventually(() => updates.some((u) => u.transactions.length > 0), 'an update with transactions');
      const withRows = updates.filter((u) => u.transactions.length > 0);
      expect(withRows).toHaveLength(1);
      expect(withRows[0]!.transactions.map((r) => r.transactionId)).toEqual(['tx-5', 'tx-4', 'tx-3', 'tx-2', 'tx-1']);
      expect(withRows[0]!.stats.scored).toBe(5);

      const later = await open();
      expect(later.snapshot.transactions.map((r) => r.transactionId)).toEqual(['tx-5', 'tx-4', 'tx-3', 'tx-2', 'tx-1']);
      expect(later.snapshot.stats.decisions.APPROVE).toBe(5);
      expect(await metric('dashboard_connected_clients')).toBe(2);
      expect(await metric('dashboard_records_total')).toBe(5);
      expect(await metric('dashboard_updates_total')).toBeGreaterThanOrEqual(1);
    });

    it('shows an alert with its rules and evidence', async () => {
      const { socket } = await open();
      const alerts = await encoder(Topics.alerts, 'Alert');
      const hit = ruleHit('over-limit', { explanation: 'payment of 2,000.00 EUR is over the 1,000.00 EUR limit', evidence: { limitMinor: '100000' } });
      const alert = alertOf(scoredTransaction('tx-big', { ruleHits: [hit], decision: 'DECLINE', score: 0.85 }));
      await producer.send([{ topic: Topics.alerts, key: Buffer.from(alert.accountId), value: await alerts(alert) }]);

      const update = await nextFrame(socket, 'update', (frame) => frame.alerts.length > 0);
      expect(update.alerts[0]).toMatchObject({ transactionId: 'tx-big', decision: 'DECLINE', hits: [expect.objectContaining({ ruleId: 'over-limit', evidence: { limitMinor: '100000' } })] });
      expect(update.stats.alerts).toBe(1);
    });

    it('skips and counts a record it cannot read, and goes on with the next', async () => {
      const { socket } = await open();
      const scored = await encoder(Topics.scored, 'ScoredTransaction');
      await producer.send([
        { topic: Topics.scored, key: Buffer.from('acc-1'), value: Buffer.from('not avro') },
        { topic: Topics.scored, key: Buffer.from('acc-1'), value: await scored(scoredTransaction('tx-ok', { score: Number.NaN })) },
        { topic: Topics.scored, key: Buffer.from('acc-1'), value: null },
      ]);
      await producer.send([{ topic: Topics.scored, key: Buffer.from('acc-1'), value: await scored(scoredTransaction('tx-after')) }]);

      const update = await nextFrame(socket, 'update', (frame) => frame.transactions.some((r) => r.transactionId === 'tx-after'));
      expect(update.stats).toMatchObject({ rejected: 3, scored: 1 });
      expect(dashboard.health()).toEqual({ ok: true, detail: 'running' });
      const rejects = (await dashboard.metrics.getSingleMetric('dashboard_rejects_total')!.get()).values.map((v) => [v.labels.reason, v.value]);
      expect(rejects.sort()).toEqual([
        ['BAD_MAGIC_BYTE', 1],
        ['INVALID_VALUE', 1],
        ['TRUNCATED', 1],
      ]);
    });
  });

  it('can be attached before the topics exist, and starts reading once they do', async () => {
    await attach();
    expect(dashboard.health()).toEqual({ ok: false, detail: 'waiting-for-topics' });
    await log.admin.ensureTopics([
      { topic: Topics.scored, partitions: 1 },
      { topic: Topics.alerts, partitions: 1 },
    ]);
    await dashboard.ready;
    expect(dashboard.health()).toEqual({ ok: true, detail: 'running' });
  });

  it('stops waiting for the topics when closed', async () => {
    await attach();
    await dashboard.close();
    await dashboard.ready;
    expect(dashboard.health()).toEqual({ ok: false, detail: 'stopped' });
  });

  it('refuses a flush interval outside 100 to 250 ms before mounting anything', async () => {
    const app = express();
    const server = createServer(app);
    await expect(attachDashboard({ app, server, log, serde, logger, flushMs: 1_000 })).rejects.toThrow(/100 to 250 ms, got 1000/);
    expect(server.listenerCount('upgrade')).toBe(0);
    await attach(); // for afterEach
  });

  it('serves the page and the socket.io client script', async () => {
    await attach();
    const page = await fetch(`${http.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="transactions"');
    const client = await fetch(`${http.url}/socket.io/socket.io.js`);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/javascript/);
    expect(await client.text()).toMatch(/socket\.io/i);
  });
});
