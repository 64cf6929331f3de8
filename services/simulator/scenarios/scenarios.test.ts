// Every scenario fires its rule on the event its label names, and nothing else fires on its account;
// every near-miss stays clear of every rule, missing its own by the intended margin. The rules are
// restated independently in testing/rule-predicates.
import type { AuthEvent, Transaction } from '../../../schemas/types';
import { distanceKm } from '../geo';
import { Ids, Merchants } from '../population';
import { Random } from '../random';
import { eventsByAccount, firings } from '../testing/rule-predicates';
import { SCENARIO_KINDS } from './catalog';
import { planScenarios } from './plan';
import type { ScenarioKind, WrittenScenario } from './script';

const START = Date.UTC(2026, 2, 2, 6);
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const MINUTE = 60_000;
const DAY = 86_400_000;

function write(kind: ScenarioKind, seed: number): WrittenScenario {
  const random = new Random(seed);
  const ids = new Ids(seed);
  const [scenario] = planScenarios({ random, ids, merchants: new Merchants(random, ids), start: START, runSpanMs: 3_600_000, perKind: 1, kinds: [kind] });
  return scenario!;
}

const cases = SCENARIO_KINDS.flatMap((kind) => SEEDS.map((seed) => [kind.name, seed, kind] as const));

describe('scenario catalog', () => {
  it('has a scenario and a near-miss for every starter rule', () => {
    const rules = ['card-testing', 'velocity-burst', 'impossible-travel', 'account-takeover', 'failed-logins', 'login-decline-lockout', 'high-risk-mcc-spree', 'dormant-burst', 'over-limit'];
    for (const rule of rules) {
      expect(SCENARIO_KINDS.filter((k) => k.ruleId === rule && k.fraud).length).toBeGreaterThan(0);
      expect(SCENARIO_KINDS.filter((k) => k.ruleId === rule && !k.fraud).length).toBeGreaterThan(0);
    }
    expect(new Set(SCENARIO_KINDS.map((k) => k.name)).size).toBe(SCENARIO_KINDS.length);
  });
});

describe.each(cases)('%s (seed %d)', (_name, seed, kind) => {
  const scenario = write(kind, seed);
  const records = [...scenario.history, ...scenario.events];
  const account = eventsByAccount(records).get(scenario.account.id)!;

  it(kind.fraud ? 'fires its rule on the labelled event, and no other rule' : 'fires no rule at all', () => {
    const expected = kind.fraud ? [{ eventId: scenario.label.eventId, ruleId: kind.ruleId }] : [];
    expect(firings(account)).toEqual(expected);
  });

  it('labels an event of its account that completes within the declared span', () => {
    const label = scenario.label;
    const completing = records.find((r) => r.kind !== 'label' && r.kind !== 'profile' && ('transactionId' in r.value ? r.value.transactionId : r.value.eventId) === label.eventId);
    expect(completing?.timestamp).toBe(label.eventTime);
    expect(label).toEqual({
      eventId: label.eventId,
      accountId: scenario.account.id,
      scenario: kind.name,
      expectedRuleId: kind.ruleId,
      fraud: kind.fraud,
      eventTime: label.eventTime,
      instanceId: `scenario-${seed}-000001`,
      behavioural: false,
    });
    const streamTimes = scenario.events.map((r) => r.timestamp);
    expect(Math.max(...streamTimes) - Math.min(...streamTimes)).toBeLessThanOrEqual(kind.spanMs);
    expect(scenario.history[0]).toMatchObject({ kind: 'profile', key: scenario.account.id });
    expect(scenario.history[0]!.timestamp).toBeLessThan(Math.min(...records.slice(1).map((r) => r.timestamp)));
  });
});

describe('near-misses miss by the intended margin', () => {
  const txs = (name: string, seed = 1) => {
    const kind = SCENARIO_KINDS.find((k) => k.name === name)!;
    const scenario = write(kind, seed);
    const records = [...scenario.history, ...scenario.events];
    return {
      transactions: records.flatMap((r) => (r.kind === 'transaction' ? [r.value as Transaction] : [])),
      auth: records.flatMap((r) => (r.kind === 'auth' ? [r.value as AuthEvent] : [])),
      scenario,
    };
  };

  it('card-testing: two probes; the charge 10 min + 1 s after the first probe; a charge of 49,999', () => {
    expect(txs('card-testing/near-miss/two-probes').transactions.filter((t) => t.amountMinor <= 200)).toHaveLength(2);
    const late = txs('card-testing/near-miss/charge-after-ten-minutes').transactions;
    expect(late[3]!.eventTime - late[0]!.eventTime).toBe(10 * MINUTE + 1_000);
    expect(txs('card-testing/near-miss/charge-below-50000').transactions[3]!.amountMinor).toBe(49_999);
  });

  it('velocity-burst: 7 in a minute; the 8th exactly 60 s after the 1st; a sum of 499,999', () => {
    expect(txs('velocity-burst/near-miss/seven-in-a-minute').transactions).toHaveLength(7);
    const edge = txs('velocity-burst/near-miss/window-edge').transactions;
    expect(edge[7]!.eventTime - edge[0]!.eventTime).toBe(60_000);
    expect(txs('velocity-burst/near-miss/amount-below').transactions.reduce((s, t) => s + t.amountMinor, 0)).toBe(499_999);
  });

  it('impossible-travel: online abroad; a flight at 700 km/h; under 500 km; 6 h 10 min apart', () => {
    const [home, online] = txs('impossible-travel/near-miss/far-online').transactions;
    expect(online!.channel).toBe('ECOM');
    expect(distanceKm(home!.lat, home!.lon, online!.lat, online!.lon)).toBeGreaterThan(1_900);
    const speed = (name: string) => {
      const [a, b] = txs(name).transactions;
      const km = distanceKm(a!.lat, a!.lon, b!.lat, b!.lon);
      return { km, kmPerHour: km / ((b!.eventTime - a!.eventTime) / 3_600_000), hours: (b!.eventTime - a!.eventTime) / 3_600_000 };
    };
    expect(speed('impossible-travel/near-miss/plausible-flight').kmPerHour).toBeLessThan(800);
    expect(speed('impossible-travel/near-miss/nearby').km).toBeLessThan(500);
    expect(speed('impossible-travel/near-miss/after-six-hours')).toMatchObject({ hours: 6 + 1 / 6 });
    expect(speed('impossible-travel/near-miss/after-six-hours').kmPerHour).toBeGreaterThan(900);
  });

  it('account-takeover: 31 min after the change; 99,999; a profile change without new contact details', () => {
    const after = txs('account-takeover/near-miss/after-31-minutes');
    const change = after.auth.find((e) => e.type === 'PASSWORD_CHANGE')!;
    expect(after.transactions[0]!.eventTime - change.eventTime).toBe(31 * MINUTE);
    expect(txs('account-takeover/near-miss/below-100000').transactions[0]!.amountMinor).toBe(99_999);
    const limitOnly = txs('account-takeover/near-miss/limit-change-only').scenario;
    const profiles = [...limitOnly.history, ...limitOnly.events].filter((r) => r.kind === 'profile').map((r) => r.value);
    expect(profiles).toHaveLength(2);
    expect(profiles[1]).toMatchObject({ emailFingerprint: (profiles[0] as { emailFingerprint: string }).emailFingerprint });
  });

  it('failed-logins: ten failures; eleven over 70 s', () => {
    expect(txs('failed-logins/near-miss/ten-failures').auth).toHaveLength(10);
    const spread = txs('failed-logins/near-miss/over-seventy-seconds').auth;
    expect(spread[10]!.eventTime - spread[0]!.eventTime).toBe(70_000);
  });

  it('login-decline-lockout: the lockout 11 min after the login; an approved payment', () => {
    const late = txs('login-decline-lockout/near-miss/lockout-after-11-minutes').auth;
    expect(late[late.length - 1]!.eventTime - late[0]!.eventTime).toBe(11 * MINUTE);
    expect(txs('login-decline-lockout/near-miss/payment-approved').transactions[0]!.authStatus).toBe('APPROVED');
  });

  it('high-risk-mcc-spree: two high-risk; the third 10 min + 1 s after the first', () => {
    expect(txs('high-risk-mcc-spree/near-miss/two-high-risk').transactions[2]!.mcc).toBe('5999');
    const spread = txs('high-risk-mcc-spree/near-miss/spread-over-ten-minutes').transactions;
    expect(spread[2]!.eventTime - spread[0]!.eventTime).toBe(10 * MINUTE + 1_000);
  });

  it('dormant-burst: dormant 89 days; two follow-ups; the old payment dated before the run', () => {
    const dormant = txs('dormant-burst/near-miss/dormant-89-days');
    expect(dormant.transactions[1]!.eventTime - dormant.transactions[0]!.eventTime).toBe(89 * DAY);
    expect(dormant.scenario.history.map((r) => r.kind)).toEqual(['profile', 'transaction']);
    expect(txs('dormant-burst/near-miss/two-follow-ups').transactions).toHaveLength(4);
  });

  it('over-limit: 1.4 x the limit; 1.6 x a limit doubled before the payment', () => {
    const { transactions, scenario } = txs('over-limit/near-miss/1.4x-limit');
    expect(transactions[0]!.amountMinor).toBe(1.4 * scenario.account.profile.creditLimitMinor);
    const raised = txs('over-limit/near-miss/limit-raised-before').scenario;
    const limit = raised.account.profile.creditLimitMinor;
    const payment = raised.events.find((r) => r.kind === 'transaction')!.value as Transaction;
    expect(payment.amountMinor).toBe(0.8 * limit);
  });
});
