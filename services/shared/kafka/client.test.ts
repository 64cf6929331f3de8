import { Writable } from 'node:stream';
import pino from 'pino';
import { createKafka } from './client';

/** A kafkajs client whose logs land, as pino's JSON lines, in the returned array. */
function loggedKafka() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  const kafka = createKafka({ brokers: ['127.0.0.1:1'], clientId: 'client-test', logger: pino({ level: 'debug' }, sink) });
  return { kafka, lines };
}

describe('createKafka logs', () => {
  it("routes kafkajs's logs into pino at their level", () => {
    const { kafka, lines } = loggedKafka();
    kafka.logger().error('Failed to send messages', { error: 'This server does not host this topic-partition' });
    kafka.logger().warn('Something to note');
    expect(lines.map(({ level, msg }) => [level, msg])).toEqual([
      [50, 'Failed to send messages'],
      [40, 'Something to note'],
    ]);
  });

  it('logs a refusal kafkajs retries as routine (CONCURRENT_TRANSACTIONS) at debug, not error', () => {
    const { kafka, lines } = loggedKafka();
    kafka.logger().error('Failed to send messages', {
      error: 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      retryCount: 0,
    });
    expect(lines.map(({ level }) => level)).toEqual([20]);
  });
});
