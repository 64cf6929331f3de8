// What the generator produces, before encoding: typed values with their key and record timestamp,
// tagged with where they came from so that the run summary and the tests can tell them apart.
import type { AccountProfile, AuthEvent, FraudLabel, Transaction } from '../../schemas/types';
import type { MalformedKind } from './malformed';

import type { TopicNames } from '../shared/topics';

export type RecordKind = 'transaction' | 'profile' | 'auth' | 'label';

const TOPIC_ROLE: Readonly<Record<RecordKind, keyof TopicNames>> = {
  transaction: 'transactions',
  profile: 'profiles',
  auth: 'authEvents',
  label: 'labels',
};

/** The topic a kind of generated record goes to. */
export function topicOf(topics: TopicNames, kind: RecordKind): string {
  return topics[TOPIC_ROLE[kind]];
}

/**
 * baseline: ordinary traffic; scenario: a rule scenario or near-miss; behaviour: the behavioural
 * generator's fraud and look-alikes, on baseline accounts; malformed: bound for the DLQ.
 */
export type Origin = 'baseline' | 'scenario' | 'behaviour' | 'malformed';

interface Common {
  /** The Kafka key: the account id, so that all inputs of an account share a partition. */
  readonly key: string | null;
  /** The record timestamp, which is the event time except for a malformed future event time. */
  readonly timestamp: number;
  readonly origin: Origin;
  readonly malformed?: MalformedKind;
}

export type SimRecord = Common &
  (
    | { readonly kind: 'transaction'; readonly value: Transaction }
    | { readonly kind: 'profile'; readonly value: AccountProfile }
    | { readonly kind: 'auth'; readonly value: AuthEvent }
    | { readonly kind: 'label'; readonly value: FraudLabel }
  );

export function transactionRecord(value: Transaction, origin: Origin): SimRecord {
  return { kind: 'transaction', key: value.accountId, timestamp: value.eventTime, origin, value };
}

export function profileRecord(value: AccountProfile, origin: Origin): SimRecord {
  return { kind: 'profile', key: value.accountId, timestamp: value.updatedAt, origin, value };
}

export function authRecord(value: AuthEvent, origin: Origin): SimRecord {
  return { kind: 'auth', key: value.accountId, timestamp: value.eventTime, origin, value };
}

export function labelRecord(value: FraudLabel, origin: Origin): SimRecord {
  return { kind: 'label', key: value.accountId, timestamp: value.eventTime, origin, value };
}
