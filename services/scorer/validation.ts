// Checks of decoded input values beyond what Avro types express. A value that fails is not scored:
// it goes to the dead-letter topic with the reason, so an absurd record can neither crash the
// scorer nor skew an account's features.
import type { AccountProfile, AuthEvent, Transaction } from '../../schemas';
import type { EventKind } from '../../cep';
import { isCurrencyCode } from './currencies';

/** Dead-letter reasons of values that decode but cannot be scored. */
export const InvalidInputReason = {
  InvalidAmount: 'INVALID_AMOUNT',
  UnknownCurrency: 'UNKNOWN_CURRENCY',
  /** Outside the plausible range; the engine adds EVENT_TIME_TOO_FAR_AHEAD relative to its partition. */
  InvalidEventTime: 'INVALID_EVENT_TIME',
  /** Any other field that breaks its documented format (ids, MCC, country, coordinates). */
  InvalidValue: 'INVALID_VALUE',
  /** Keys route records to tasks; a record keyed by another account would land in the wrong state. */
  KeyMismatch: 'KEY_MISMATCH',
} as const;
export type InvalidInputReason = (typeof InvalidInputReason)[keyof typeof InvalidInputReason];

/** Event times outside this range are corrupt, not late or early: [2000-01-01, 2100-01-01). */
const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);
const LATEST_EVENT_TIME = Date.UTC(2100, 0, 1);
/** Above any real single payment (10 billion major units), below where int64 minor units get silly. */
const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export interface Invalid {
  readonly reason: InvalidInputReason;
  readonly detail: string;
}

/** Null when `ok`; the detail is built only for a record that fails, not for every valid one. */
function check(ok: boolean, reason: InvalidInputReason, detail: () => string): Invalid | null {
  return ok ? null : { reason, detail: detail() };
}

const { InvalidAmount, UnknownCurrency, InvalidEventTime, InvalidValue, KeyMismatch } = InvalidInputReason;

const time = (field: string, t: number) =>
  check(Number.isSafeInteger(t) && t >= EARLIEST_EVENT_TIME && t < LATEST_EVENT_TIME, InvalidEventTime, () => `${field} ${t} is not between 2000-01-01 and 2100-01-01`);
const nonEmpty = (field: string, v: string) => check(v.trim().length > 0, InvalidValue, () => `${field} is empty`);
const country = (field: string, v: string) => check(/^[A-Z]{2}$/.test(v), InvalidValue, () => `${field} "${v}" is not an ISO 3166-1 alpha-2 code`);
const currency = (v: string) => check(isCurrencyCode(v), UnknownCurrency, () => `currency "${v}" is not an ISO 4217 code`);
const coordinates = (lat: number, lon: number) =>
  check(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180, InvalidValue, () => `coordinates (${lat}, ${lon}) are off the globe`);
const amount = (field: string, v: number) =>
  check(Number.isSafeInteger(v) && v >= 0 && v <= MAX_AMOUNT_MINOR, InvalidAmount, () => `${field} ${v} is not an integer number of minor units in [0, ${MAX_AMOUNT_MINOR}]`);

function transactionProblem(tx: Transaction): Invalid | null {
  return (
    nonEmpty('transactionId', tx.transactionId) ??
    nonEmpty('accountId', tx.accountId) ??
    nonEmpty('cardId', tx.cardId) ??
    nonEmpty('merchantId', tx.merchantId) ??
    check(/^\d{4}$/.test(tx.mcc), InvalidValue, () => `mcc "${tx.mcc}" is not four digits`) ??
    amount('amountMinor', tx.amountMinor) ??
    currency(tx.currency) ??
    country('country', tx.country) ??
    coordinates(tx.lat, tx.lon) ??
    time('eventTime', tx.eventTime)
  );
}

function profileProblem(p: AccountProfile): Invalid | null {
  return (
    nonEmpty('accountId', p.accountId) ??
    country('homeCountry', p.homeCountry) ??
    coordinates(p.homeLat, p.homeLon) ??
    amount('creditLimitMinor', p.creditLimitMinor) ??
    currency(p.currency) ??
    time('updatedAt', p.updatedAt) ??
    time('openedAt', p.openedAt)
  );
}

function authProblem(a: AuthEvent): Invalid | null {
  return nonEmpty('eventId', a.eventId) ?? nonEmpty('accountId', a.accountId) ?? country('country', a.country) ?? time('eventTime', a.eventTime);
}

/** Why a decoded input cannot be scored, or null when it can. */
export function validateInput(kind: EventKind, key: string | null, value: Transaction | AccountProfile | AuthEvent): Invalid | null {
  const problem =
    kind === 'transaction'
      ? transactionProblem(value as Transaction)
      : kind === 'profile'
        ? profileProblem(value as AccountProfile)
        : authProblem(value as AuthEvent);
  if (problem !== null) return problem;
  if (key !== null && key !== value.accountId) {
    return { reason: KeyMismatch, detail: `record key "${key}" is not its accountId "${value.accountId}"` };
  }
  return null;
}
