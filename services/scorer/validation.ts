// Checks of decoded input values beyond what Avro types express. A value that fails is not scored:
// it goes to the dead-letter topic with the reason, so an absurd record can neither crash the
// scorer nor skew an account's features. The checks are total: they take any value at all (the
// decoder reads each topic's own record type, but nothing here relies on it) and never throw.
import type { EventKind } from '../../cep';
import { isCurrencyCode } from './currencies';

/** Dead-letter reasons of values that decode but cannot be scored. */
export const InvalidInputReason = {
  InvalidAmount: 'INVALID_AMOUNT',
  UnknownCurrency: 'UNKNOWN_CURRENCY',
  /** Outside the plausible range; the engine adds EVENT_TIME_TOO_FAR_AHEAD relative to its partition. */
  InvalidEventTime: 'INVALID_EVENT_TIME',
  /** Any other field that breaks its documented format (ids, MCC, country, coordinates), or a value of the wrong shape. */
  InvalidValue: 'INVALID_VALUE',
  /** A string holds U+0000, which no text column of the fraud store (PostgreSQL) can keep. */
  NulCharacter: 'NUL_CHARACTER',
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

type Fields = Readonly<Record<string, unknown>>;

/** Null when `ok`; the detail is built only for a record that fails, not for every valid one. */
function check(ok: boolean, reason: InvalidInputReason, detail: () => string): Invalid | null {
  return ok ? null : { reason, detail: detail() };
}

const { InvalidAmount, UnknownCurrency, InvalidEventTime, InvalidValue, NulCharacter, KeyMismatch } = InvalidInputReason;

/** A value for a detail: short, and never throwing (a BigInt or a cycle cannot be serialised). */
function show(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const time = (field: string, t: unknown) =>
  check(typeof t === 'number' && Number.isSafeInteger(t) && t >= EARLIEST_EVENT_TIME && t < LATEST_EVENT_TIME, InvalidEventTime, () => `${field} ${show(t)} is not between 2000-01-01 and 2100-01-01`);
const nonEmpty = (field: string, v: unknown) =>
  typeof v !== 'string' ? { reason: InvalidValue, detail: `${field} ${show(v)} is not a string` } : check(v.trim().length > 0, InvalidValue, () => `${field} is empty`);
const pattern = (field: string, v: unknown, format: RegExp, what: string) =>
  check(typeof v === 'string' && format.test(v), InvalidValue, () => `${field} ${show(v)} is not ${what}`);
const country = (field: string, v: unknown) => pattern(field, v, /^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');
const currency = (v: unknown) => check(typeof v === 'string' && isCurrencyCode(v), UnknownCurrency, () => `currency ${show(v)} is not an ISO 4217 code`);
const coordinates = (lat: unknown, lon: unknown) =>
  check(typeof lat === 'number' && typeof lon === 'number' && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180, InvalidValue, () => `coordinates (${show(lat)}, ${show(lon)}) are off the globe`);
const amount = (field: string, v: unknown) =>
  check(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_AMOUNT_MINOR, InvalidAmount, () => `${field} ${show(v)} is not an integer number of minor units in [0, ${MAX_AMOUNT_MINOR}]`);

function transactionProblem(tx: Fields): Invalid | null {
  return (
    nonEmpty('transactionId', tx.transactionId) ??
    nonEmpty('accountId', tx.accountId) ??
    nonEmpty('cardId', tx.cardId) ??
    nonEmpty('merchantId', tx.merchantId) ??
    pattern('mcc', tx.mcc, /^\d{4}$/, 'four digits') ??
    amount('amountMinor', tx.amountMinor) ??
    currency(tx.currency) ??
    country('country', tx.country) ??
    coordinates(tx.lat, tx.lon) ??
    time('eventTime', tx.eventTime)
  );
}

function profileProblem(p: Fields): Invalid | null {
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

function authProblem(a: Fields): Invalid | null {
  return nonEmpty('eventId', a.eventId) ?? nonEmpty('accountId', a.accountId) ?? country('country', a.country) ?? time('eventTime', a.eventTime);
}

/** The first top-level string field holding U+0000 (the input records have no nested strings), or null. */
function nulField(value: Fields): Invalid | null {
  for (const field in value) {
    const v = value[field];
    if (typeof v === 'string' && v.includes('\u0000')) return { reason: NulCharacter, detail: `${field} holds a NUL character (U+0000), which text stores refuse` };
  }
  return null;
}

/** Why a decoded input cannot be scored, or null when it can. */
export function validateInput(kind: EventKind, key: string | null, value: unknown): Invalid | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: InvalidValue, detail: `the value ${show(value)} is not a record` };
  const fields = value as Fields;
  const problem =
    (kind === 'transaction' ? transactionProblem(fields) : kind === 'profile' ? profileProblem(fields) : authProblem(fields)) ?? nulField(fields);
  if (problem !== null) return problem;
  if (key !== null && key !== fields.accountId) {
    return { reason: KeyMismatch, detail: `record key ${show(key)} is not its accountId ${show(fields.accountId)}` };
  }
  return null;
}
