// Ordinary traffic: one payment per time slot from an account that is awake and due, plus logins,
// new devices, credential and profile changes now and then. Every guard below keeps the baseline
// strictly under one starter rule, so that any alert in an end-to-end run comes from an injection.
import type { AuthEventType, AuthStatus, RiskTier } from '../../schemas/types';
import { ACTIVITY_BY_HOUR, CATEGORIES, type Category } from './catalog';
import { MINOR_UNITS_PER_CENT, localHour, pointNear } from './geo';
import { authEventOf, transactionOf } from './payments';
import { CITY_RADIUS_KM, newDevice, newFingerprint, type Account, type Ids, type Merchants } from './population';
import type { Random } from './random';
import { authRecord, profileRecord, transactionRecord, type SimRecord } from './records';
import type { TimeQueue } from './time-queue';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** velocity-burst: with 20 s between payments an account makes at most 3 in any 60 s... */
export const MIN_PAYMENT_GAP_MS = 20 * SECOND;
/** ...and 3 of at most this much stay under the 500,000 sum; also under 1.5 x the lowest limit. */
export const MAX_AMOUNT_MINOR = 150_000;
/** card-testing: a probe is at most 200, so no baseline payment looks like one. */
export const MIN_AMOUNT_MINOR = 300;
/** account-takeover: a payment this big never follows a credential or contact change... */
const LARGE_AMOUNT_MINOR = 100_000;
/** ...within this long of it (the rule looks 30 minutes ahead). */
const QUIET_AFTER_CREDENTIAL_CHANGE_MS = 40 * MINUTE;
/** high-risk-mcc-spree: at most one high-risk payment in any 10 minutes. */
const HIGH_RISK_GAP_MS = 11 * MINUTE;
/** failed-logins: sessions are a minute apart and fail at most twice. */
const AUTH_SESSION_GAP_MS = MINUTE;
const MAX_FAILURES_PER_SESSION = 2;

const AUTH_SESSIONS_PER_PAYMENT = 0.25;
const PROFILE_CHANGES_PER_PAYMENT = 0.004;
const DECLINE_RATE: Readonly<Record<RiskTier, number>> = { LOW: 0.01, MEDIUM: 0.02, HIGH: 0.05 };
/** How many random accounts are tried for a slot before a scan for the next due one. */
const PICK_ATTEMPTS = 24;

type SessionKind = 'login' | 'failed-then-login' | 'new-device' | 'password-change' | 'contact-change';
const SESSION_WEIGHTS: ReadonlyArray<{ kind: SessionKind; weight: number }> = [
  { kind: 'login', weight: 84 },
  { kind: 'failed-then-login', weight: 9 },
  { kind: 'new-device', weight: 4 },
  { kind: 'password-change', weight: 2 },
  { kind: 'contact-change', weight: 1 },
];

/** A stretch of event time, [from, until), in which an account makes no ordinary payment and no login. */
export interface Absence {
  readonly from: number;
  readonly until: number;
}

/**
 * What an account pays in the category, in minor units of its currency: log-normal around the
 * category's median, within the baseline's bounds. Whatever should pass for everyday spending uses it.
 */
export function ordinaryAmount(random: Random, category: Category, currency: string): number {
  const typical = random.logNormal(category.medianCents * (MINOR_UNITS_PER_CENT[currency] ?? 1), category.sigma);
  // Cash comes out of an ATM in round amounts.
  const amount = category.channel === 'ATM' ? Math.round(typical / 1_000) * 1_000 : Math.round(typical);
  return Math.min(MAX_AMOUNT_MINOR, Math.max(MIN_AMOUNT_MINOR, amount));
}

export class Baseline {
  readonly #random: Random;
  readonly #ids: Ids;
  readonly #accounts: readonly Account[];
  readonly #merchants: Merchants;
  /** Events a session schedules a few seconds ahead (the login after a failure, say). */
  readonly #later: TimeQueue<SimRecord>;
  readonly #paymentDue: Float64Array;
  readonly #sessionDue: Float64Array;
  readonly #highRiskDue: Float64Array;
  readonly #largeAllowedFrom: Float64Array;
  /** By account index: while a behaviour has the account travelling or its card stolen. */
  readonly #absences: ReadonlyMap<number, readonly Absence[]>;

  constructor(
    random: Random,
    ids: Ids,
    accounts: readonly Account[],
    merchants: Merchants,
    later: TimeQueue<SimRecord>,
    absences: ReadonlyMap<Account, readonly Absence[]> = new Map(),
  ) {
    this.#random = random;
    this.#ids = ids;
    this.#accounts = accounts;
    this.#merchants = merchants;
    this.#later = later;
    this.#paymentDue = new Float64Array(accounts.length).fill(-Infinity);
    this.#sessionDue = new Float64Array(accounts.length).fill(-Infinity);
    this.#highRiskDue = new Float64Array(accounts.length).fill(-Infinity);
    this.#largeAllowedFrom = new Float64Array(accounts.length).fill(-Infinity);
    this.#absences = new Map(accounts.flatMap((account, index) => (absences.has(account) ? [[index, absences.get(account)!] as const] : [])));
  }

  /** The records of one slot: a payment, sometimes an auth event or a profile version, all at `at`. */
  slot(at: number): SimRecord[] {
    const records = [this.#payment(at)];
    if (this.#random.chance(AUTH_SESSIONS_PER_PAYMENT)) {
      const session = this.#session(at);
      if (session) records.push(session);
    }
    if (this.#random.chance(PROFILE_CHANGES_PER_PAYMENT)) this.#profileChange(at);
    return records;
  }

  #payment(at: number): SimRecord {
    const index = this.#pickAccount(at, this.#paymentDue);
    if (index === undefined) {
      throw new Error(
        `every one of the ${this.#accounts.length} accounts paid within the last ${MIN_PAYMENT_GAP_MS / SECOND} s: ` +
          'raise the number of accounts or lower the event rate',
      );
    }
    const account = this.#accounts[index]!;
    const hour = localHour(account.home, at);
    const highRiskAllowed = this.#highRiskDue[index]! <= at;
    const category = this.#random.weighted(CATEGORIES, (c) => (c.highRisk && !highRiskAllowed ? 0 : c.weight * c.hours[hour]!));
    const largeAllowed = this.#largeAllowedFrom[index]! <= at;
    this.#paymentDue[index] = at + MIN_PAYMENT_GAP_MS;
    if (category.highRisk) this.#highRiskDue[index] = at + HIGH_RISK_GAP_MS;
    const declined = this.#random.chance(DECLINE_RATE[account.profile.riskTier]);
    const transaction = transactionOf({
      transactionId: this.#ids.nextEvent('tx'),
      account,
      merchant: this.#merchants.pick(this.#random, category, account.home),
      amountMinor: Math.min(largeAllowed ? MAX_AMOUNT_MINOR : LARGE_AMOUNT_MINOR - 1, ordinaryAmount(this.#random, category, account.profile.currency)),
      eventTime: at,
      card: this.#random.pick(account.cards),
      authStatus: (declined ? 'DECLINED' : 'APPROVED') satisfies AuthStatus,
      deviceId: this.#random.pick(account.devices),
    });
    return transactionRecord(transaction, 'baseline');
  }

  /**
   * An account that is due and, by its local time of day, likely awake. Random tries first; then a
   * scan from a random place for any due account, so a slot is never skipped while one exists.
   */
  #pickAccount(at: number, due: Float64Array): number | undefined {
    const count = this.#accounts.length;
    for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
      const index = this.#random.int(0, count - 1);
      if (due[index]! > at || this.#away(index, at)) continue;
      if (this.#random.chance(ACTIVITY_BY_HOUR[localHour(this.#accounts[index]!.home, at)]!)) return index;
    }
    const from = this.#random.int(0, count - 1);
    for (let step = 0; step < count; step++) {
      const index = (from + step) % count;
      if (due[index]! <= at && !this.#away(index, at)) return index;
    }
    return undefined;
  }

  #away(index: number, at: number): boolean {
    return this.#absences.get(index)?.some((absence) => absence.from <= at && at < absence.until) ?? false;
  }

  /** Starts a login session at `at`; its later steps go to the queue. Undefined when nobody is due. */
  #session(at: number): SimRecord | undefined {
    const index = this.#pickAccount(at, this.#sessionDue);
    if (index === undefined) return undefined;
    const account = this.#accounts[index]!;
    this.#sessionDue[index] = at + AUTH_SESSION_GAP_MS;
    const { kind } = this.#random.weighted(SESSION_WEIGHTS, (s) => s.weight);
    if (kind !== 'login' && kind !== 'failed-then-login') this.#largeAllowedFrom[index] = at + QUIET_AFTER_CREDENTIAL_CHANGE_MS;
    switch (kind) {
      case 'login':
        return this.#auth(account, 'LOGIN_SUCCESS', at);
      case 'failed-then-login': {
        const failures = this.#random.int(1, MAX_FAILURES_PER_SESSION);
        for (let i = 1; i < failures; i++) this.#later.push(at + 4 * SECOND * i, this.#auth(account, 'LOGIN_FAILURE', at + 4 * SECOND * i));
        this.#later.push(at + 4 * SECOND * failures, this.#auth(account, 'LOGIN_SUCCESS', at + 4 * SECOND * failures));
        return this.#auth(account, 'LOGIN_FAILURE', at);
      }
      case 'new-device': {
        const device = newDevice(this.#random);
        account.devices.push(device);
        return this.#auth(account, 'NEW_DEVICE', at, device);
      }
      case 'password-change':
        this.#later.push(at + 30 * SECOND, this.#auth(account, 'PASSWORD_CHANGE', at + 30 * SECOND));
        return this.#auth(account, 'LOGIN_SUCCESS', at);
      case 'contact-change': {
        const email = this.#random.chance(0.5);
        this.#later.push(at + 40 * SECOND, this.#auth(account, email ? 'EMAIL_CHANGE' : 'PHONE_CHANGE', at + 40 * SECOND));
        const fingerprint = newFingerprint(this.#random);
        account.profile = {
          ...account.profile,
          updatedAt: Math.max(at + 41 * SECOND, account.profile.updatedAt + 1),
          ...(email ? { emailFingerprint: fingerprint } : { phoneFingerprint: fingerprint }),
        };
        this.#later.push(account.profile.updatedAt, profileRecord(account.profile, 'baseline'));
        return this.#auth(account, 'LOGIN_SUCCESS', at);
      }
    }
  }

  #auth(account: Account, type: AuthEventType, at: number, deviceId?: string): SimRecord {
    return authRecord(authEventOf(this.#ids.nextEvent('auth'), account, type, at, deviceId), 'baseline');
  }

  /**
   * A raised credit limit or a move within the home city. Limits only grow and moves stay local, so
   * neither over-limit nor impossible-travel can follow from a change. Queued rather than returned:
   * a version queued earlier may force this one a little later than `at`.
   */
  #profileChange(at: number): void {
    const account = this.#random.pick(this.#accounts);
    const change = this.#random.chance(0.7)
      ? { creditLimitMinor: Math.ceil((account.profile.creditLimitMinor * (1.1 + 0.4 * this.#random.next())) / 10_000) * 10_000 }
      : (({ lat, lon }) => ({ homeLat: lat, homeLon: lon }))(pointNear(account.home, CITY_RADIUS_KM, this.#random));
    // Another version may already be queued for this instant or later; never publish one out of order.
    account.profile = { ...account.profile, ...change, updatedAt: Math.max(at, account.profile.updatedAt + 1) };
    this.#later.push(account.profile.updatedAt, profileRecord(account.profile, 'baseline'));
  }
}
