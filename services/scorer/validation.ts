// Checks of decoded input values beyond what Avro types express. A value that fails is not scored:
// it goes to the dead-letter topic with the reason, so an absurd record can neither crash the
// scorer nor skew an account's features.
import type { AccountProfile, AuthEvent, Transaction } from '../../schemas';
import type { EventKind } from '../../cep';
import { isCurrencyCode } from './currencies';

export const InvalidValueReason = 'INVALID_VALUE';
export const KeyMismatchReason = 'KEY_MISMATCH';

/** Event times outside this range are corrupt, not late or early: [2000-01-01, 2100-01-01). */
const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);
const LATEST_EVENT_TIME = Date.UTC(2100, 0, 1);
/** Above any real single payment (10 billion major units), below where int64 minor units get silly. */
const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export interface Invalid {
  readonly reason: typeof InvalidValueReason | typeof KeyMismatchReason;
  readonly detail: string;
}

type Check = [ok: boolean, problem: string];

function firstProblem(checks: Check[]): string | null {
  for (const [ok, problem] of checks) if (!ok) return problem;
  return null;
}

const timeChecks = (field: string, t: number): Check => [
  Number.isSafeInteger(t) && t >= EARLIEST_EVENT_TIME && t < LATEST_EVENT_TIME,
  `${field} ${t} is not between 2000-01-01 and 2100-01-01`,
];
const nonEmpty = (field: string, v: string): Check => [v.trim().length > 0, `${field} is empty`];
const country = (field: string, v: string): Check => [/^[A-Z]{2}$/.test(v), `${field} "${v}" is not an ISO 3166-1 alpha-2 code`];
const currency = (v: string): Check => [isCurrencyCode(v), `currency "${v}" is not an ISO 4217 code`];
const coordinates = (lat: number, lon: number): Check => [
  lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180,
  `coordinates (${lat}, ${lon}) are off the globe`,
];

function transactionProblem(tx: Transaction): string | null {
  return firstProblem([
    nonEmpty('transactionId', tx.transactionId),
    nonEmpty('accountId', tx.accountId),
    nonEmpty('cardId', tx.cardId),
    nonEmpty('merchantId', tx.merchantId),
    [/^\d{4}$/.test(tx.mcc), `mcc "${tx.mcc}" is not four digits`],
    [Number.isSafeInteger(tx.amountMinor) && tx.amountMinor >= 0, `amountMinor ${tx.amountMinor} is negative`],
    [tx.amountMinor <= MAX_AMOUNT_MINOR, `amountMinor ${tx.amountMinor} exceeds ${MAX_AMOUNT_MINOR}`],
    currency(tx.currency),
    country('country', tx.country),
    coordinates(tx.lat, tx.lon),
    timeChecks('eventTime', tx.eventTime),
  ]);
}

function profileProblem(p: AccountProfile): string | null {
  return firstProblem([
    nonEmpty('accountId', p.accountId),
    country('homeCountry', p.homeCountry),
    coordinates(p.homeLat, p.homeLon),
    [Number.isSafeInteger(p.creditLimitMinor) && p.creditLimitMinor >= 0, `creditLimitMinor ${p.creditLimitMinor} is negative`],
    currency(p.currency),
    timeChecks('updatedAt', p.updatedAt),
    timeChecks('openedAt', p.openedAt),
  ]);
}

function authProblem(a: AuthEvent): string | null {
  return firstProblem([nonEmpty('eventId', a.eventId), nonEmpty('accountId', a.accountId), country('country', a.country), timeChecks('eventTime', a.eventTime)]);
}

/** Why a decoded input cannot be scored, or null when it can. */
export function validateInput(kind: EventKind, key: string | null, value: Transaction | AccountProfile | AuthEvent): Invalid | null {
  const problem =
    kind === 'transaction'
      ? transactionProblem(value as Transaction)
      : kind === 'profile'
        ? profileProblem(value as AccountProfile)
        : authProblem(value as AuthEvent);
  if (problem !== null) return { reason: InvalidValueReason, detail: problem };
  // Keys route records to tasks; a record keyed by another account would land in the wrong task's state.
  if (key !== null && key !== value.accountId) {
    return { reason: KeyMismatchReason, detail: `record key "${key}" is not its accountId "${value.accountId}"` };
  }
  return null;
}
