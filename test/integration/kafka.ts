// Helpers for tests against the real broker named by KAFKA_BROKERS (set by the global setup).
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createKafka, parseBrokers } from '../../services/shared/kafka';
import { createLogger } from '../../services/shared/log';

export function brokersFromEnv(): string[] {
  const list = process.env.KAFKA_BROKERS;
  if (!list) throw new Error('KAFKA_BROKERS is not set: integration tests need the broker started by the global setup');
  return parseBrokers(list);
}

export function testKafka(clientId = 'peregrine-test'): Kafka {
  return createKafka({ brokers: brokersFromEnv(), clientId, logger: createLogger(clientId, process.env.TEST_LOG_LEVEL ?? 'silent') });
}

/** A topic or group name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
