// A service started before its broker waits for it; a tool fails at once. The broker is the real
// one of the integration tests, reached through a forwarder that starts listening only later.
import { once } from 'node:events';
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { brokersFromEnv, uniqueName } from '../../../../test/integration/kafka';
import { createKafka } from '../../kafka';
import { LogErrorCode, isLogError } from '../errors';
import type { RecordLog } from '../types';
import { createKafkaLog } from './log';

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Forwards connections on `port` to the test broker, from `open()` on. */
function delayedForwarder(port: number): { open(): Promise<void>; close(): void } {
  const [host, brokerPort] = brokersFromEnv()[0]!.split(':') as [string, string];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(brokerPort), host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    open: async () => {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: () => {
      server.close();
      sockets.forEach((socket) => socket.destroy());
    },
  };
}

function capturedLogger(): { logger: pino.Logger; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as Record<string, unknown>;
      if (line.level === 40) warnings.push(line);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), warnings };
}

/** A client that gives up on a broker quickly, so that each attempt is short. */
function quickClient(port: number, logger: pino.Logger) {
  return createKafka({ brokers: [`127.0.0.1:${port}`], clientId: 'broker-wait-test', logger, config: { connectionTimeout: 500, retry: { retries: 1, initialRetryTime: 50 } } });
}

describe('createKafkaLog before the broker is reachable', () => {
  const opened: RecordLog[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((log) => log.close()));
  });

  it('waits for it when told to, warning at each failed attempt, and works once it answers', async () => {
    const port = await freePort();
    const forwarder = delayedForwarder(port);
    const { logger, warnings } = capturedLogger();
    try {
      const connecting = createKafkaLog(quickClient(port, logger), { waitForBroker: { logger, pauseMs: 200 } });
      // Two failed attempts, then the broker "starts".
      while (warnings.filter((line) => line.msg === 'Kafka broker not reachable yet; trying again').length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
      await forwarder.open();
      const log = await connecting;
      opened.push(log);
      // The admin it connected works.
      const topic = uniqueName('broker-wait');
      await log.admin.ensureTopics([{ topic, partitions: 2 }]);
      expect(await log.admin.partitionCount(topic)).toBe(2);
      const waits = warnings.filter((line) => line.msg === 'Kafka broker not reachable yet; trying again');
      expect(waits.length).toBeGreaterThanOrEqual(2);
      expect(waits[0]).toMatchObject({ attempt: 1, pauseMs: 200, err: { message: expect.stringContaining(`127.0.0.1:${port}`) } });
    } finally {
      forwarder.close();
    }
  }, 60_000);

  it('fails at once without it, with a retriable broker error naming the broker', async () => {
    const port = await freePort();
    const { logger, warnings } = capturedLogger();
    const failure = await createKafkaLog(quickClient(port, logger)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isLogError(failure, LogErrorCode.Broker)).toBe(true);
    expect(failure).toMatchObject({ retriable: true, message: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(warnings.filter((line) => line.msg === 'Kafka broker not reachable yet; trying again')).toEqual([]);
  }, 30_000);
});
