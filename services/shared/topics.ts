// Topic names and shapes of the pipeline, in one place for every service. Inputs are co-partitioned
// by account id (same partition count, key = accountId), so one scorer task owns one partition
// number of all three. A namespace prefixes every name, so several pipelines (tests, demos) can
// share one broker without reading each other's records.
import type { SchemaName } from '../../schemas';
import type { TopicSpec } from './stream';

export interface TopicNames {
  readonly transactions: string;
  readonly profiles: string;
  readonly authEvents: string;
  /** Simulator ground truth; the scorer never subscribes to it. */
  readonly labels: string;
  readonly scored: string;
  readonly alerts: string;
  readonly deadLetters: string;
}

const BASE_NAMES: TopicNames = {
  transactions: 'payments.transactions',
  profiles: 'accounts.profiles',
  authEvents: 'auth.events',
  labels: 'fraud.labels',
  scored: 'fraud.scored',
  alerts: 'fraud.alerts',
  deadLetters: 'fraud.dlq',
};

/** Which record each topic carries; subjects follow Confluent's TopicNameStrategy. */
export const TOPIC_SCHEMAS: Readonly<Record<keyof TopicNames, SchemaName>> = {
  transactions: 'Transaction',
  profiles: 'AccountProfile',
  authEvents: 'AuthEvent',
  labels: 'FraudLabel',
  scored: 'ScoredTransaction',
  alerts: 'Alert',
  deadLetters: 'DeadLetter',
};

export function topicNames(namespace = ''): TopicNames {
  if (namespace === '') return BASE_NAMES;
  if (!/^[A-Za-z0-9._-]+$/.test(namespace)) throw new Error(`topic namespace "${namespace}" may only hold letters, digits, '.', '_' and '-'`);
  const named = {} as Record<keyof TopicNames, string>;
  for (const [role, name] of Object.entries(BASE_NAMES)) named[role as keyof TopicNames] = `${namespace}.${name}`;
  return named;
}

/**
 * The scorer's outputs, for whoever creates them first (the scorer, a watcher started before it).
 * Stamped on append: records keep event time in their values, and a log-time stamp is what lets
 * time-based retention keep a replay of old payments for as long as a live one.
 */
export function outputTopicSpecs(topics: TopicNames, partitions: number): TopicSpec[] {
  return [topics.scored, topics.alerts, topics.deadLetters].map((topic) => ({ topic, partitions, appendTime: true }));
}

/** The standard names, as `docker compose up` and `npm start` use them. */
export const Topics: TopicNames = BASE_NAMES;

export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** The scorer's state changelog: compacted, one partition per input partition (its task). */
export function changelogTopic(groupId: string, namespace = ''): string {
  return namespace === '' ? `${groupId}.changelog` : `${namespace}.${groupId}.changelog`;
}

export const DEFAULT_PARTITIONS = 4;
