import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import type { ByteReader, ByteWriter } from '../state/bytes';

/** Login failures within this long before a payment are counted in its vector. */
export const FAILED_LOGIN_WINDOW_MS = 3_600_000;
/** The most recent failures kept: a burst of more says no more than ten. */
const KEPT_FAILURES = 10;
/** Weight of each new payment in the account's running mean and variance of log amounts. */
const AMOUNT_SMOOTHING = 0.1;
/**
 * Time constants of the account's decayed payment counts and sums: longer look-backs than the 60 s
 * windows at a constant cost per account, where a window would keep every payment it holds.
 */
export const DECAY_MS = [3_600_000, 86_400_000] as const;

/**
 * What an account has done over its life, beyond the look-back windows: logins, credential and
 * contact changes, and the usual size of its payments. Updated by every event of the account in
 * processing order, so it is a function of the log like the rest of the state; kept as long as the
 * account's rule state is.
 */
export interface AccountActivity {
  lastLogin: number | null;
  /** Times of the latest login failures, oldest first, at most KEPT_FAILURES. */
  failures: number[];
  /** A password, email or phone change, by login event or by a new profile version. */
  lastCredentialChange: number | null;
  lastNewDevice: number | null;
  /** Payments seen. */
  payments: number;
  /** Exponentially weighted mean and variance of log(1 + amount in minor units). */
  amountMean: number;
  amountVariance: number;
  /** Payments and their amounts in minor units, each weighed by exp(-age / DECAY_MS[i]) at `decayedAt`. */
  decayedCounts: number[];
  decayedSums: number[];
  decayedAt: number | null;
}

/** The account's decayed payment count (`sums` false) or sum of amounts (true) for DECAY_MS[i], as of `time`. */
export function decayed(activity: AccountActivity, i: number, sums: boolean, time: number): number {
  const value = sums ? activity.decayedSums[i]! : activity.decayedCounts[i]!;
  if (activity.decayedAt === null || time <= activity.decayedAt) return value;
  return value * Math.exp(-(time - activity.decayedAt) / DECAY_MS[i]!);
}

export function emptyActivity(): AccountActivity {
  return { lastLogin: null, failures: [], lastCredentialChange: null, lastNewDevice: null, payments: 0, amountMean: 0, amountVariance: 0, decayedCounts: DECAY_MS.map(() => 0), decayedSums: DECAY_MS.map(() => 0), decayedAt: null };
}

export function isActivityEmpty(activity: AccountActivity): boolean {
  return activity.lastLogin === null && activity.failures.length === 0 && activity.lastCredentialChange === null && activity.lastNewDevice === null && activity.payments === 0;
}

export function onAuth(activity: AccountActivity, event: AuthEvent): void {
  const at = event.eventTime;
  switch (event.type) {
    case 'LOGIN_SUCCESS':
      activity.lastLogin = Math.max(activity.lastLogin ?? at, at);
      return;
    case 'LOGIN_FAILURE':
    case 'LOCKOUT':
      activity.failures.push(at);
      if (activity.failures.length > KEPT_FAILURES) activity.failures.shift();
      return;
    case 'NEW_DEVICE':
      activity.lastNewDevice = Math.max(activity.lastNewDevice ?? at, at);
      return;
    case 'PASSWORD_CHANGE':
    case 'EMAIL_CHANGE':
    case 'PHONE_CHANGE':
      activity.lastCredentialChange = Math.max(activity.lastCredentialChange ?? at, at);
      return;
  }
}

/** A new profile version whose email or phone differs from the one before is a contact change. */
export function onProfile(activity: AccountActivity, profile: AccountProfile, previous: AccountProfile | null): void {
  if (previous === null) return;
  if (profile.emailFingerprint === previous.emailFingerprint && profile.phoneFingerprint === previous.phoneFingerprint) return;
  activity.lastCredentialChange = Math.max(activity.lastCredentialChange ?? profile.updatedAt, profile.updatedAt);
}

/** Call after the payment's vector was taken: the vector compares the payment with what came before it. */
export function onPayment(activity: AccountActivity, tx: Transaction): void {
  const x = Math.log1p(tx.amountMinor);
  if (activity.payments === 0) {
    activity.amountMean = x;
    activity.amountVariance = 0;
  } else {
    const delta = x - activity.amountMean;
    activity.amountMean += AMOUNT_SMOOTHING * delta;
    activity.amountVariance = (1 - AMOUNT_SMOOTHING) * (activity.amountVariance + AMOUNT_SMOOTHING * delta * delta);
  }
  activity.payments++;
  // A payment older than the latest counted (a late one) joins at its own age instead of moving the clock back.
  const at = tx.eventTime;
  const last = activity.decayedAt;
  for (let i = 0; i < DECAY_MS.length; i++) {
    const tau = DECAY_MS[i]!;
    const age = last === null ? 0 : (at - last) / tau;
    // Now (or later than every payment counted): the others age; older: this one joins already aged.
    const kept = age >= 0 ? Math.exp(-age) : 1;
    const weight = age >= 0 ? 1 : Math.exp(age);
    activity.decayedCounts[i] = activity.decayedCounts[i]! * kept + weight;
    activity.decayedSums[i] = activity.decayedSums[i]! * kept + weight * tx.amountMinor;
  }
  activity.decayedAt = Math.max(last ?? at, at);
}

/** Failures in (time - FAILED_LOGIN_WINDOW_MS, time]. */
export function recentFailures(activity: AccountActivity, time: number): number {
  let count = 0;
  for (const at of activity.failures) if (at > time - FAILED_LOGIN_WINDOW_MS && at <= time) count++;
  return count;
}

const nullable = (out: ByteWriter, value: number | null) => (value === null ? out.bool(false) : out.bool(true).varint(value));
const readNullable = (input: ByteReader) => (input.bool() ? input.varint() : null);

export function encodeActivity(activity: AccountActivity, out: ByteWriter): void {
  nullable(out, activity.lastLogin);
  out.uvarint(activity.failures.length);
  for (const at of activity.failures) out.varint(at);
  nullable(out, activity.lastCredentialChange);
  nullable(out, activity.lastNewDevice);
  out.uvarint(activity.payments).float64(activity.amountMean).float64(activity.amountVariance);
  for (let i = 0; i < DECAY_MS.length; i++) out.float64(activity.decayedCounts[i]!).float64(activity.decayedSums[i]!);
  nullable(out, activity.decayedAt);
}

export function decodeActivity(input: ByteReader): AccountActivity {
  const lastLogin = readNullable(input);
  const failures = Array.from({ length: input.uvarint() }, () => input.varint());
  return {
    lastLogin,
    failures,
    lastCredentialChange: readNullable(input),
    lastNewDevice: readNullable(input),
    payments: input.uvarint(),
    amountMean: input.float64(),
    amountVariance: input.float64(),
    ...decodeDecayed(input),
  };
}

function decodeDecayed(input: ByteReader): Pick<AccountActivity, 'decayedCounts' | 'decayedSums' | 'decayedAt'> {
  const decayedCounts: number[] = [];
  const decayedSums: number[] = [];
  for (let i = 0; i < DECAY_MS.length; i++) {
    decayedCounts.push(input.float64());
    decayedSums.push(input.float64());
  }
  return { decayedCounts, decayedSums, decayedAt: readNullable(input) };
}
