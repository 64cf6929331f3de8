import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import { defineJob } from '../job/define-job';
import { type RuleEngineOutput, defineRule, ruleEngineStage, rulePack } from '../rules';
import { ByteReader, ByteWriter } from '../state/bytes';
import { authEvent, profile, transaction } from '../testing/fixtures';
import { JobTestDriver, type TestRecord } from '../testing/job-test-driver';
import { decodeActivity, emptyActivity, encodeActivity, onPayment } from './account-activity';
import { featureSchema } from './feature-vector';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

const bigSpend = defineRule({
  id: 'big-spend',
  description: 'a large payment',
  severity: 'MEDIUM',
  key: 'account',
  score: 0.5,
  when: ({ value }) => (value.amountMinor >= 10_000 ? { amountMinor: value.amountMinor } : null),
  explain: () => 'big',
});
const abroad = defineRule({
  id: 'abroad',
  description: 'a payment outside the home country',
  severity: 'LOW',
  key: 'account',
  score: 0.2,
  when: ({ value, profile: p }) => (p !== null && value.country !== p.homeCountry ? { country: value.country } : null),
  explain: () => 'abroad',
});
const pack = rulePack([bigSpend, abroad]);
const schema = featureSchema(pack.rules.map((rule) => rule.id));

const INPUTS = [
  { topic: 'profiles', kind: 'profile' },
  { topic: 'auth', kind: 'auth' },
  { topic: 'tx', kind: 'transaction' },
] as const;

function record(value: Transaction | AuthEvent | AccountProfile): TestRecord {
  if ('transactionId' in value) return { topic: 'tx', key: value.accountId, eventTime: value.eventTime, value };
  if ('updatedAt' in value) return { topic: 'profiles', key: value.accountId, eventTime: value.updatedAt, value };
  return { topic: 'auth', key: value.accountId, eventTime: value.eventTime, value };
}

/** Feeds the events in order and returns each payment's vector by transaction id, as named columns. */
function vectors(...values: (Transaction | AuthEvent | AccountProfile)[]): Map<string, Record<string, number>> {
  const driver = new JobTestDriver(defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10, stage: ruleEngineStage(pack, { features: true }) }), { partitions: 1 });
  const out: RuleEngineOutput[] = [];
  for (const value of values) {
    driver.pipe(record(value));
    driver.advanceProcessingTime(20);
    out.push(...driver.readOutput());
  }
  const last = Math.max(...values.map((v) => ('updatedAt' in v ? v.updatedAt : v.eventTime)));
  driver.pipe(record(authEvent({ eventId: 'clock', accountId: 'clock', type: 'LOGIN_FAILURE', eventTime: last + 1 })));
  driver.advanceProcessingTime(20);
  out.push(...driver.readOutput());
  const byId = new Map<string, Record<string, number>>();
  for (const output of out) {
    if (output.kind !== 'scored') continue;
    expect(output.vector).toHaveLength(schema.names.length);
    byId.set(output.value.transaction.transactionId, Object.fromEntries(schema.names.map((name, i) => [name, output.vector![i]!])));
  }
  return byId;
}

const pay = (id: string, at: number, overrides: Partial<Transaction> = {}) => transaction({ transactionId: id, eventTime: T0 + at, ...overrides });

describe('the feature vector', () => {
  it('names its columns, the rules last in pack order, and versions them by their names', () => {
    expect(schema.names.slice(-2)).toEqual(['rule:big-spend', 'rule:abroad']);
    expect(new Set(schema.names).size).toBe(schema.names.length);
    for (const name of schema.names) expect(schema.descriptions[name]).toEqual(expect.any(String));
    expect(featureSchema(['big-spend', 'abroad']).version).toBe(schema.version);
    expect(featureSchema(['abroad', 'big-spend']).version).not.toBe(schema.version);
    expect(featureSchema(['big-spend']).version).not.toBe(schema.version);
    expect(schema.version).toMatch(/^v1-[0-9a-f]{8}$/);
  });

  it("sets a rule's column exactly when the rule fired on the payment", () => {
    const v = vectors(profile({ updatedAt: T0 - HOUR }), pay('small', 0), pay('big-abroad', MIN, { amountMinor: 20_000, country: 'FR', lat: 48.86, lon: 2.35 }));
    expect([v.get('small')!['rule:big-spend'], v.get('small')!['rule:abroad']]).toEqual([0, 0]);
    expect([v.get('big-abroad')!['rule:big-spend'], v.get('big-abroad')!['rule:abroad']]).toEqual([1, 1]);
    expect(v.get('big-abroad')).toMatchObject({ abroad: 1, channel_pos: 1, channel_ecom: 0 });
    expect(v.get('big-abroad')!.home_distance_km_log).toBeCloseTo(Math.log1p(878), 0);
  });

  it('compares a payment with what the account did before it, never with itself or later payments', () => {
    const v = vectors(profile({ updatedAt: T0 - HOUR }), pay('first', 0, { amountMinor: 1000 }), pay('second', HOUR, { amountMinor: 1000 }), pay('third', 2 * HOUR, { amountMinor: 100_000 }));
    const [first, second, third] = ['first', 'second', 'third'].map((id) => v.get(id)!);
    expect(first).toMatchObject({ account_payments_log: 0, account_1h_payments: 0, account_24h_payments: 0 });
    expect(first!.amount_vs_account_mean).toBeNaN();
    expect(first!.hours_since_previous_payment_log).toBeNaN();
    expect(second!.account_payments_log).toBeCloseTo(Math.log1p(1));
    expect(second!.account_1h_payments).toBeCloseTo(Math.exp(-1), 6);
    expect(second!.account_24h_payments).toBeCloseTo(Math.exp(-1 / 24), 6);
    expect(second!.account_1h_sum_log).toBeCloseTo(Math.log1p(1000 * Math.exp(-1)), 5);
    expect(second!.hours_since_previous_payment_log).toBeCloseTo(Math.log1p(1), 6);
    expect(second!.amount_vs_account_mean).toBe(0);
    expect(third!.account_1h_payments).toBeCloseTo(Math.exp(-1) + Math.exp(-2), 6);
    expect(third!.amount_vs_account_mean).toBeGreaterThan(10);
    // The 60-second windows hold the payment itself, as the scored record's features do.
    expect(third).toMatchObject({ account_60s_count: 1, card_60s_count: 1 });
    expect(third!.account_60s_sum_log).toBeCloseTo(Math.log1p(100_000), 5);
  });

  it('counts logins, failures, credential changes and new devices before the payment, in their windows', () => {
    const v = vectors(
      profile({ updatedAt: T0 - 3 * HOUR }),
      authEvent({ eventId: 'old-failure', type: 'LOGIN_FAILURE', eventTime: T0 - 2 * HOUR }),
      authEvent({ eventId: 'f1', type: 'LOGIN_FAILURE', eventTime: T0 - 30 * MIN }),
      authEvent({ eventId: 'f2', type: 'LOCKOUT', eventTime: T0 - 20 * MIN }),
      authEvent({ eventId: 'pw', type: 'PASSWORD_CHANGE', eventTime: T0 - 10 * MIN }),
      authEvent({ eventId: 'device', type: 'NEW_DEVICE', eventTime: T0 - 6 * MIN }),
      authEvent({ eventId: 'login', type: 'LOGIN_SUCCESS', eventTime: T0 - 6 * MIN }),
      pay('after-takeover', 0, { channel: 'ECOM' }),
    );
    const after = v.get('after-takeover')!;
    expect(after.failed_logins_1h).toBe(2);
    expect(after.hours_since_credential_change_log).toBeCloseTo(Math.log1p(10 / 60), 6);
    expect(after.hours_since_new_device_log).toBeCloseTo(Math.log1p(0.1), 6);
    expect(after.hours_since_login_log).toBeCloseTo(Math.log1p(0.1), 6);
    expect(after.hours_since_profile_version_log).toBeCloseTo(Math.log1p(3), 6);
    expect(after).toMatchObject({ channel_ecom: 1, channel_pos: 0, unknown_account: 0 });
  });

  it('takes a new email or phone in a profile version as a credential change', () => {
    const v = vectors(profile({ updatedAt: T0 - 5 * HOUR }), profile({ updatedAt: T0 - 2 * HOUR, phoneFingerprint: 'phone-2' }), pay('p', 0));
    expect(v.get('p')!.hours_since_credential_change_log).toBeCloseTo(Math.log1p(2), 6);
  });

  it('leaves what it cannot know unknown (NaN) for an account without a profile', () => {
    const p = vectors(pay('stranger', 0, { accountId: 'acct-unknown' })).get('stranger')!;
    expect(p.unknown_account).toBe(1);
    for (const name of ['amount_vs_credit_limit', 'abroad', 'home_distance_km_log', 'account_age_days_log', 'risk_tier', 'hours_since_profile_version_log', 'hours_since_login_log']) {
      expect([name, p[name]]).toEqual([name, NaN]);
    }
  });
});

describe("an account's activity", () => {
  it('decays its counts from the latest payment, and a late payment joins at its own age without moving the clock back', () => {
    const activity = emptyActivity();
    onPayment(activity, transaction({ eventTime: T0, amountMinor: 100 }));
    onPayment(activity, transaction({ eventTime: T0 + HOUR, amountMinor: 100 }));
    onPayment(activity, transaction({ eventTime: T0, amountMinor: 100 }));
    expect(activity.decayedAt).toBe(T0 + HOUR);
    expect(activity.decayedCounts[0]).toBeCloseTo(1 + 2 * Math.exp(-1), 9);
    expect(activity.decayedSums[1]).toBeCloseTo(100 * (1 + 2 * Math.exp(-1 / 24)), 6);
    expect(activity.payments).toBe(3);
  });

  it('survives its codec unchanged', () => {
    const activity = emptyActivity();
    onPayment(activity, transaction({ eventTime: T0, amountMinor: 12_345 }));
    onPayment(activity, transaction({ eventTime: T0 + MIN, amountMinor: 7 }));
    Object.assign(activity, { lastLogin: T0 - 5, failures: [T0 - 9, T0 - 8], lastCredentialChange: null, lastNewDevice: T0 - 1 });
    const out = new ByteWriter();
    encodeActivity(activity, out);
    expect(decodeActivity(new ByteReader(out.finish()))).toEqual(activity);
  });
});
