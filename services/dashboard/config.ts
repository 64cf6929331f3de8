// The standalone dashboard's settings, read from the environment once at start; docs/operations.md
// lists every variable.
import { type Env, envInt, envString } from '../shared/env';
import { parseBrokers } from '../shared/kafka';
import { type TopicNames, topicNames } from '../shared/topics';
import { checkFlushMs, FLUSH_MS } from './batcher';
import { DEFAULT_GROUP_ID } from './ingest';

export interface DashboardConfig {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly port: number;
  readonly host: string;
  /** The topics it reads and its consumer group, namespaced by TOPIC_NAMESPACE. */
  readonly topics: Pick<TopicNames, 'scored' | 'alerts'>;
  readonly groupId: string;
  readonly flushMs: number;
}

export function dashboardConfig(env: Env): DashboardConfig {
  const namespace = envString(env, 'TOPIC_NAMESPACE', '');
  const { scored, alerts } = topicNames(namespace);
  const groupId = envString(env, 'DASHBOARD_GROUP_ID', DEFAULT_GROUP_ID);
  return {
    brokers: parseBrokers(envString(env, 'KAFKA_BROKERS', '127.0.0.1:9092')),
    registryUrl: envString(env, 'SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081'),
    port: envInt(env, 'DASHBOARD_PORT', 8084),
    host: envString(env, 'DASHBOARD_HOST', '127.0.0.1'),
    topics: { scored, alerts },
    groupId: namespace === '' ? groupId : `${namespace}.${groupId}`,
    flushMs: checkFlushMs(envInt(env, 'DASHBOARD_FLUSH_MS', FLUSH_MS.default)),
  };
}
