// The starter rules restated as plain predicates over one account's events, written from the rule
// table and nothing else, so that the simulator's tests check its scenarios without the rule pack.
import type { AccountProfile, AuthEvent, Transaction } from '../../../schemas/types';
import { distanceKm } from '../geo';
import type { SimRecord } from '../records';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HIGH_RISK = new Set(['7995', '6051', '4829', '5967', '7801']);
const CREDENTIAL_CHANGES = new Set(['PASSWORD_CHANGE', 'EMAIL_CHANGE', 'PHONE_CHANGE', 'NEW_DEVICE']);

export interface AccountEvents {
  /** Each list in event-time order. */
  readonly transactions: Transaction[];
  readonly auth: AuthEvent[];
  readonly profiles: AccountProfile[];
}

/** Groups records by account (labels and keyless records are left out). */
export function eventsByAccount(records: Iterable<SimRecord>): Map<string, AccountEvents> {
  const accounts = new Map<string, AccountEvents>();
  for (const record of records) {
    if (record.kind === 'label' || record.malformed) continue;
    const id = record.value.accountId;
    let events = accounts.get(id);
    if (!events) accounts.set(id, (events = { transactions: [], auth: [], profiles: [] }));
    if (record.kind === 'transaction') events.transactions.push(record.value);
    else if (record.kind === 'auth') events.auth.push(record.value);
    else events.profiles.push(record.value);
  }
  for (const events of accounts.values()) {
    events.transactions.sort((a, b) => a.eventTime - b.eventTime);
    events.auth.sort((a, b) => a.eventTime - b.eventTime);
    events.profiles.sort((a, b) => a.updatedAt - b.updatedAt);
  }
  return accounts;
}

const cardPresent = (t: Transaction) => t.channel === 'POS' || t.channel === 'ATM';
const before = <T extends { eventTime: number }>(events: readonly T[], e: { eventTime: number }) => events.filter((x) => x.eventTime <= e.eventTime && x !== e);

type TransactionRule = (account: AccountEvents, tx: Transaction) => boolean;
type AuthRule = (account: AccountEvents, event: AuthEvent) => boolean;

export const TRANSACTION_RULES: Readonly<Record<string, TransactionRule>> = {
  'card-testing': (a, tx) =>
    tx.amountMinor >= 50_000 &&
    before(a.transactions, tx).filter((p) => p.cardId === tx.cardId && p.amountMinor <= 200 && tx.eventTime - p.eventTime <= 10 * MINUTE).length >= 3,
  'velocity-burst': (a, tx) => {
    const window = a.transactions.filter((p) => p.eventTime > tx.eventTime - 60 * SECOND && p.eventTime <= tx.eventTime);
    return window.length >= 8 || window.reduce((sum, p) => sum + p.amountMinor, 0) >= 500_000;
  },
  'impossible-travel': (a, tx) => {
    if (!cardPresent(tx)) return false;
    const previous = before(a.transactions, tx).filter(cardPresent).pop();
    if (!previous) return false;
    const km = distanceKm(previous.lat, previous.lon, tx.lat, tx.lon);
    const hours = (tx.eventTime - previous.eventTime) / HOUR;
    return km >= 500 && hours <= 6 && km / hours > 900;
  },
  'account-takeover': (a, tx) => {
    if (tx.amountMinor < 100_000) return false;
    const recent = (t: number) => t <= tx.eventTime && tx.eventTime - t <= 30 * MINUTE;
    const credential = a.auth.some((e) => CREDENTIAL_CHANGES.has(e.type) && recent(e.eventTime));
    const contact = a.profiles.some((p, i) => {
      const previous = a.profiles[i - 1];
      const changed = previous && (previous.emailFingerprint !== p.emailFingerprint || previous.phoneFingerprint !== p.phoneFingerprint);
      return changed && recent(p.updatedAt);
    });
    return credential || contact;
  },
  'high-risk-mcc-spree': (a, tx) =>
    HIGH_RISK.has(tx.mcc) &&
    a.transactions.filter((p) => HIGH_RISK.has(p.mcc) && p.eventTime <= tx.eventTime && tx.eventTime - p.eventTime <= 10 * MINUTE).length >= 3,
  'dormant-burst': (a, tx) => {
    const index = a.transactions.indexOf(tx);
    return a.transactions.some((wake, w) => {
      const previous = a.transactions[w - 1];
      return previous !== undefined && wake.eventTime - previous.eventTime >= 90 * DAY && index === w + 3 && tx.eventTime - wake.eventTime <= 30 * MINUTE;
    });
  },
  'over-limit': (a, tx) => {
    const profile = a.profiles.filter((p) => p.updatedAt <= tx.eventTime).pop();
    return profile !== undefined && tx.amountMinor >= 1.5 * profile.creditLimitMinor;
  },
};

export const AUTH_RULES: Readonly<Record<string, AuthRule>> = {
  'failed-logins': (a, e) =>
    e.type === 'LOGIN_FAILURE' &&
    a.auth.filter((f) => f.type === 'LOGIN_FAILURE' && f.eventTime <= e.eventTime && e.eventTime - f.eventTime < 60 * SECOND).length >= 11,
  'login-decline-lockout': (a, e) =>
    e.type === 'LOCKOUT' &&
    a.auth.some(
      (s) =>
        s.type === 'LOGIN_SUCCESS' &&
        s.eventTime <= e.eventTime &&
        e.eventTime - s.eventTime <= 10 * MINUTE &&
        a.transactions.some((d) => d.authStatus === 'DECLINED' && d.eventTime >= s.eventTime && d.eventTime <= e.eventTime),
    ),
};

/** Every (event id, rule id) at which a rule fires for the account. */
export function firings(account: AccountEvents): Array<{ eventId: string; ruleId: string }> {
  const fired: Array<{ eventId: string; ruleId: string }> = [];
  for (const tx of account.transactions) {
    for (const [ruleId, fires] of Object.entries(TRANSACTION_RULES)) if (fires(account, tx)) fired.push({ eventId: tx.transactionId, ruleId });
  }
  for (const event of account.auth) {
    for (const [ruleId, fires] of Object.entries(AUTH_RULES)) if (fires(account, event)) fired.push({ eventId: event.eventId, ruleId });
  }
  return fired;
}
