// The fraud store's settings, read from the environment once at start.
import { DEFAULT_DATABASE_URL } from '../shared/db/postgres';
import { parseBrokers } from '../shared/kafka';
import { type TopicNames, topicNames } from '../shared/topics';
import { DEFAULT_GROUP_ID } from './ingest';

export interface FraudStoreConfig {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  /** The topics it reads and its consumer group, namespaced by TOPIC_NAMESPACE. */
  readonly topics: Pick<TopicNames, 'scored' | 'alerts'>;
  readonly groupId: string;
}

export const DEFAULT_PORT = 8082;

export function configFromEnv(env: NodeJS.ProcessEnv): FraudStoreConfig {
  const namespace = env.TOPIC_NAMESPACE ?? '';
  const { scored, alerts } = topicNames(namespace);
  return {
    brokers: parseBrokers(env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    registryUrl: env.SCHEMA_REGISTRY_URL || 'http://127.0.0.1:8081',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    port: parsePort(env.FRAUD_STORE_PORT),
    host: env.FRAUD_STORE_HOST || '127.0.0.1',
    topics: { scored, alerts },
    groupId: namespace === '' ? DEFAULT_GROUP_ID : `${namespace}.${DEFAULT_GROUP_ID}`,
  };
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`FRAUD_STORE_PORT must be a TCP port (0-65535), got "${text}"`);
  return port;
}
