// Topic names and shapes of the pipeline, in one place for every service. Inputs are co-partitioned
// by account id (same partition count, key = accountId), so one scorer task owns one partition
// number of all three.
import type { SchemaName } from '../../schemas';

export const Topics = {
  transactions: 'payments.transactions',
  profiles: 'accounts.profiles',
  authEvents: 'auth.events',
  labels: 'fraud.labels',
  scored: 'fraud.scored',
  alerts: 'fraud.alerts',
  deadLetters: 'fraud.dlq',
} as const;

/** Which record each topic carries; subjects follow Confluent's TopicNameStrategy. */
export const TopicSchemas: Record<(typeof Topics)[keyof typeof Topics], SchemaName> = {
  [Topics.transactions]: 'Transaction',
  [Topics.profiles]: 'AccountProfile',
  [Topics.authEvents]: 'AuthEvent',
  [Topics.labels]: 'FraudLabel',
  [Topics.scored]: 'ScoredTransaction',
  [Topics.alerts]: 'Alert',
  [Topics.deadLetters]: 'DeadLetter',
};

export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** The scorer's state changelog: compacted, one partition per input partition (its task). */
export function changelogTopic(groupId: string): string {
  return `${groupId}.changelog`;
}

export const DEFAULT_PARTITIONS = 4;
