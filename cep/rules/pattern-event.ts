import type { AuthEvent, AuthEventType, Transaction } from '../../schemas/types';
import type { KeyedEvent } from '../job/types';
import type { SimpleCondition } from '../pattern';

/** A transaction as patterns see it, with the account-level facts a single record cannot carry. */
export interface TransactionPatternEvent {
  readonly kind: 'transaction';
  readonly id: string;
  readonly time: number;
  readonly tx: Transaction;
  /** Event time since the account's previous transaction, null for its first one. */
  readonly msSincePreviousTransaction: number | null;
}

/** An authentication event as patterns see it (`isAuth(...)` tests its type). */
export interface AuthPatternEvent {
  readonly kind: 'auth';
  /** The auth event's `eventId`. */
  readonly id: string;
  /** Event time, epoch ms. */
  readonly time: number;
  readonly auth: AuthEvent;
}

/** A contact detail of a profile whose change a pattern can watch (its email or phone fingerprint). */
export type ContactFingerprint = 'email' | 'phone';

/** A new profile version, reduced to what a pattern needs: which contact details it changed. */
export interface ProfileChangePatternEvent {
  readonly kind: 'profile';
  /** Profile versions carry no id: `profile@<updatedAt>` is unique per account. */
  readonly id: string;
  readonly time: number;
  /** Empty for an account's first version: opening an account changes nothing. */
  readonly changed: readonly ContactFingerprint[];
}

/**
 * What rule patterns match over. Plain JSON on purpose: partial matches hold these events and
 * reach the changelog inside NFA snapshots, so they must not drag features or profiles along.
 */
export type PatternEvent = TransactionPatternEvent | AuthPatternEvent | ProfileChangePatternEvent;

// Shared and frozen: partial matches keep profile events, and an array grown by push would reserve room for 17.
const NOTHING_CHANGED: readonly ContactFingerprint[] = Object.freeze([]);
const EMAIL: readonly ContactFingerprint[] = Object.freeze(['email']);
const PHONE: readonly ContactFingerprint[] = Object.freeze(['phone']);
const EMAIL_AND_PHONE: readonly ContactFingerprint[] = Object.freeze(['email', 'phone']);

export function toPatternEvent(event: KeyedEvent, msSincePreviousTransaction: number | null): PatternEvent {
  switch (event.kind) {
    case 'transaction':
      return { kind: 'transaction', id: event.value.transactionId, time: event.eventTime, tx: event.value, msSincePreviousTransaction };
    case 'auth':
      return { kind: 'auth', id: event.value.eventId, time: event.eventTime, auth: event.value };
    case 'profile': {
      const { value, previous } = event;
      const email = previous !== null && previous.emailFingerprint !== value.emailFingerprint;
      const phone = previous !== null && previous.phoneFingerprint !== value.phoneFingerprint;
      const changed = email ? (phone ? EMAIL_AND_PHONE : EMAIL) : phone ? PHONE : NOTHING_CHANGED;
      return { kind: 'profile', id: `profile@${value.updatedAt}`, time: event.eventTime, changed };
    }
  }
}

/**
 * A transaction for which `predicate` holds (any transaction without one): a simple condition. A
 * condition that reads the partial match is written with `iterative`, testing `event.kind` itself.
 */
export function isTransaction(predicate?: SimpleCondition<TransactionPatternEvent>): SimpleCondition<PatternEvent> {
  if (predicate === undefined) return (event) => event.kind === 'transaction';
  return (event) => event.kind === 'transaction' && predicate(event);
}

/** An auth event of one of `types`. */
export function isAuth(...types: AuthEventType[]): SimpleCondition<PatternEvent> {
  const accepted = new Set(types);
  return (event) => event.kind === 'auth' && accepted.has(event.auth.type);
}

/** A profile version that changed at least one of `fingerprints` (either, by default). */
export function isProfileChange(...fingerprints: ContactFingerprint[]): SimpleCondition<PatternEvent> {
  const watched = fingerprints.length === 0 ? ['email', 'phone'] : fingerprints;
  return (event) => event.kind === 'profile' && event.changed.some((f) => watched.includes(f));
}

const credentialAuth = isAuth('PASSWORD_CHANGE', 'EMAIL_CHANGE', 'PHONE_CHANGE', 'NEW_DEVICE');
const contactChange = isProfileChange();

/** Someone changed how the account is accessed or reached: the usual first step of a takeover. */
export const isCredentialChange: SimpleCondition<PatternEvent> = (event) => credentialAuth(event) || contactChange(event);
