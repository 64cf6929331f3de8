// Jest global setup of the integration project: use the broker named by KAFKA_BROKERS, or start the
// project's own broker so that `npm test` needs nothing started by hand.
import { connect } from 'node:net';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL, TEST_KAFKA_PORT, kafkaScript } from './services';

async function assertPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${url} is unreachable (${(err as Error).message}). Start it or set DATABASE_URL; ` +
        'integration tests never fall back to a stand-in.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export default async function globalSetup(): Promise<void> {
  process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;
  await assertPostgres(process.env.DATABASE_URL);
  if (process.env.KAFKA_BROKERS) return;
  process.env.KAFKA_BROKERS = `127.0.0.1:${TEST_KAFKA_PORT}`;
  // Another test run on this machine already owns the test broker: share it, and leave it running.
  if (await portOpen(TEST_KAFKA_PORT)) return;
  try {
    kafkaScript('start');
  } catch {
    throw new Error('Could not start the local Kafka broker (see the output above). Set KAFKA_BROKERS to use another one.');
  }
  process.env.PEREGRINE_TEST_STARTED_KAFKA = '1';
}
