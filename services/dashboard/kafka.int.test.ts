// The standalone dashboard's path on the real broker: a consumer group of its own that starts at the
// live end of the topics, and records pushed to a socket.io client.
import { createServer } from 'node:http';
import express from 'express';
import type { Socket } from 'socket.io-client';
import { selfContainedSchema } from '../../schemas';
import { serdeFor } from '../../test/e2e/pipeline';
import { testKafka, uniqueName } from '../../test/integration/kafka';
import { alertOf, ruleHit, scoredTransaction } from '../fraud-store/testing/fixtures';
import { startRegistryServer, type RunningRegistry } from '../registry';
import { listenServer, type RunningServer } from '../shared/http';
import { createLogger } from '../shared/log';
import { createKafkaLog, type RecordLog } from '../shared/stream';
import { topicNames, valueSubject } from '../shared/topics';
import { attachDashboard, type AttachedDashboard } from './attach';
import type { DashboardFrame } from './protocol';
import { connectClient, nextFrame } from './testing/client';

describe('dashboard on Kafka', () => {
  const topics = topicNames(uniqueName('dashboard'));
  let registry: RunningRegistry;
  let log: RecordLog;
  let http: RunningServer;
  let dashboard: AttachedDashboard;
  let socket: Socket;

  beforeAll(async () => {
    registry = await startRegistryServer({ port: 0 });
    log = await createKafkaLog(testKafka('dashboard-test'));
    await log.admin.ensureTopics([
      { topic: topics.scored, partitions: 2 },
      { topic: topics.alerts, partitions: 2 },
    ]);
  });

  afterAll(async () => {
    socket?.disconnect();
    await dashboard?.close();
    await http?.close();
    await log?.close();
    await registry?.close();
  });

  it('shows what is produced after it joined, not what was there before', async () => {
    const serde = serdeFor(registry.url);
    const scoredId = await serde.register(valueSubject(topics.scored), selfContainedSchema('ScoredTransaction'));
    const alertId = await serde.register(valueSubject(topics.alerts), selfContainedSchema('Alert'));
    const producer = await log.producer();
    try {
      await producer.send([{ topic: topics.scored, key: Buffer.from('acc-1'), value: await serde.encode(scoredId, scoredTransaction('tx-before')) }]);

      const app = express();
      const server = createServer(app);
      const logger = createLogger('dashboard-test', process.env.TEST_LOG_LEVEL ?? 'silent');
      dashboard = await attachDashboard({ app, server, log, serde, logger, topics, groupId: uniqueName('dashboard-group') });
      http = await listenServer(server, 0);
      await dashboard.ready;
      socket = connectClient(http.url);
      await nextFrame(socket, 'snapshot');

      const seen = { transactions: [] as string[], alerts: [] as string[] };
      socket.on('update', (frame: DashboardFrame) => {
        seen.transactions.push(...frame.transactions.map((r) => r.transactionId));
        seen.alerts.push(...frame.alerts.map((a) => a.transactionId ?? ''));
      });
      // kafkajs finds the live end of a partition just after joining, so the first records produced
      // after `ready` may fall before it: produce until one arrives.
      for (let i = 0; seen.transactions.length === 0 || seen.alerts.length === 0; i++) {
        if (i === 20) throw new Error(`nothing produced after the dashboard joined reached the page: ${JSON.stringify(seen)}`);
        const scored = scoredTransaction(`tx-after-${i}`, { accountId: 'acc-2', ruleHits: [ruleHit('velocity-burst')] });
        await producer.send([
          { topic: topics.scored, key: Buffer.from('acc-2'), value: await serde.encode(scoredId, scored) },
          { topic: topics.alerts, key: Buffer.from('acc-2'), value: await serde.encode(alertId, alertOf(scored)) },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const shown = [...seen.transactions, ...seen.alerts];
      expect(shown.every((id) => id.startsWith('tx-after-'))).toBe(true);
    } finally {
      await producer.close();
    }
  });
});
