import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../../log';
import { LogErrorCode, isLogError } from '../errors';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../record-size';
import type { RecordLog } from '../types';
import { KafkaLogAdmin } from './admin';
import { KafkaGroupConsumer } from './consumer';
import { translated } from './errors';
import { connectProducer, connectTransactionalProducer } from './producer';
import { readToEnd } from './reader';

export interface KafkaLogOptions {
  /**
   * Wait for a broker that does not answer yet instead of failing: a long-running service may start
   * before its broker (an orchestrator starts containers in any order). Each failed attempt, after
   * kafkajs's own retries, is logged as a warning to `logger`, and the next one follows `pauseMs`
   * later (1 s unless given). A tool run by hand fails at once, naming the broker it could not reach.
   */
  readonly waitForBroker?: { readonly logger: Logger; readonly pauseMs?: number };
}

/**
 * The distributed mode's log over a kafkajs client (see services/shared/kafka for building one).
 * `close` disconnects the admin connection only: producers and consumers are closed by their owners.
 */
export async function createKafkaLog(kafka: Kafka, options: KafkaLogOptions = {}): Promise<RecordLog> {
  const admin = kafka.admin();
  await connectAdmin(admin, options);
  const logAdmin = new KafkaLogAdmin(admin);
  // Looked up once per topic: a send of many records must keep each batch within its topic's limit.
  const limits = new Map<string, Promise<number>>();
  const limitOf = (topic: string): Promise<number> => {
    let limit = limits.get(topic);
    if (limit === undefined) {
      limit = logAdmin.maxMessageBytes(topic).catch(() => {
        limits.delete(topic); // a topic not created yet: the default for now, and asked again next time
        return DEFAULT_MAX_MESSAGE_BYTES;
      });
      limits.set(topic, limit);
    }
    return limit;
  };
  return {
    admin: logAdmin,
    producer: () => connectProducer(kafka, limitOf),
    transactionalProducer: (transactionalId) => connectTransactionalProducer(kafka, transactionalId, limitOf),
    consumer: (options) => new KafkaGroupConsumer(kafka, options),
    readToEnd: (from, onRecords) => readToEnd(kafka, logAdmin, from, onRecords),
    close: () => translated('close admin', () => admin.disconnect()),
  };
}

async function connectAdmin(admin: Admin, { waitForBroker }: KafkaLogOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await translated('connect admin', () => admin.connect());
    } catch (error) {
      if (waitForBroker === undefined || !isLogError(error, LogErrorCode.Broker) || !error.retriable) throw error;
      const pauseMs = waitForBroker.pauseMs ?? 1_000;
      waitForBroker.logger.warn({ err: error, attempt, pauseMs }, 'Kafka broker not reachable yet; trying again');
      await sleep(pauseMs);
    }
  }
}
