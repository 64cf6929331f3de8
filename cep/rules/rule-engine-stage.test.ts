import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import { defineJob } from '../job/define-job';
import { Signal } from '../job/types';
import { Pattern } from '../pattern';
import { authEvent, profile, transaction } from '../testing/fixtures';
import { JobTestDriver, type TestRecord } from '../testing/job-test-driver';
import { type PatternEvent, isAuth, isTransaction } from './pattern-event';
import { defineRule } from './rule';
import { MS_SINCE_PREVIOUS_TRANSACTION, type RuleEngineOutput, RuleSignal, ruleEngineStage } from './rule-engine-stage';
import { rulePack } from './rule-pack';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

const bigSpend = defineRule({
  id: 'big-spend',
  description: 'a large transaction',
  severity: 'MEDIUM',
  key: 'account',
  score: 0.5,
  when: ({ value }) => (value.amountMinor >= 10_000 ? { amountMinor: value.amountMinor } : null),
  explain: ({ evidence }) => `spent ${evidence.amountMinor}`,
});
const loginThenSpend = defineRule({
  id: 'login-then-spend',
  description: 'a login, then any transaction',
  severity: 'HIGH',
  key: 'account',
  score: 0.6,
  pattern: Pattern.begin<PatternEvent>('login').where(isAuth('LOGIN_SUCCESS')).followedBy('spend').where(isTransaction()).within(10 * MIN),
  explain: () => 'login then spend',
});
const silentLogin = defineRule({
  id: 'silent-login',
  description: 'a new device that spends nothing for 5 min',
  severity: 'LOW',
  key: 'account',
  score: 0.2,
  pattern: Pattern.begin<PatternEvent>('device').where(isAuth('NEW_DEVICE')).notFollowedBy('spend').where(isTransaction()).within(5 * MIN),
  explain: () => 'new device, no spend',
});

const INPUTS = [
  { topic: 'profiles', kind: 'profile' },
  { topic: 'auth', kind: 'auth' },
  { topic: 'tx', kind: 'transaction' },
] as const;

function harness(rules = [bigSpend, loginThenSpend, silentLogin]) {
  const stage = ruleEngineStage(rulePack(rules));
  const driver = new JobTestDriver(defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 10, stage }), { partitions: 1 });
  /** Moves the watermark to T0 + at with an auth event no rule starts on, letting the other inputs go idle. */
  const tick = (at: number): RuleEngineOutput[] => {
    driver.pipe(record(authEvent({ eventId: `tick@${at}`, accountId: 'clock', type: 'LOGIN_FAILURE', eventTime: T0 + at + 1 })));
    driver.advanceProcessingTime(20);
    return driver.readOutput();
  };
  /** Pipes one batch and releases all of it. */
  const feed = (...values: (Transaction | AuthEvent | AccountProfile)[]): RuleEngineOutput[] => {
    driver.pipeBatch(values.map(record));
    return tick(Math.max(...values.map((v) => ('updatedAt' in v ? v.updatedAt : v.eventTime))) - T0);
  };
  return { stage, driver, feed, tick };
}

function record(value: Transaction | AuthEvent | AccountProfile): TestRecord {
  if ('transactionId' in value) return { topic: 'tx', key: value.accountId, eventTime: value.eventTime, value };
  if ('updatedAt' in value) return { topic: 'profiles', key: value.accountId, eventTime: value.updatedAt, value };
  return { topic: 'auth', key: value.accountId, eventTime: value.eventTime, value };
}

const spend = (id: string, at: number, amountMinor = 100, accountId = 'acct-1') => transaction({ transactionId: id, accountId, eventTime: T0 + at, amountMinor });
const login = (at: number, type: AuthEvent['type'] = 'LOGIN_SUCCESS', accountId = 'acct-1') => authEvent({ eventId: `${type}@${at}`, accountId, type, eventTime: T0 + at });

describe('RuleEngineStage', () => {
  it('scores every transaction once and alerts on REVIEW or DECLINE, hits in pack order', () => {
    const { feed } = harness();
    const out = feed(profile({ updatedAt: T0 }), spend('small', 0), login(MIN), spend('big', 2 * MIN, 50_000));
    expect(out.map((o) => [o.kind, o.kind === 'scored' ? o.value.transaction.transactionId : o.value.alertId])).toEqual([
      ['scored', 'small'],
      ['scored', 'big'],
      ['alert', 'tx:big'],
    ]);
    const scored = out[1]!.value as Extract<RuleEngineOutput, { kind: 'scored' }>['value'];
    expect(scored.ruleHits.map((h) => h.ruleId)).toEqual(['big-spend', 'login-then-spend']);
    expect([scored.score, scored.decision]).toEqual([0.8, 'DECLINE']);
    expect(scored.features.extra).toEqual({ [MS_SINCE_PREVIOUS_TRANSACTION]: 2 * MIN });
    expect(out[2]!.value).toMatchObject({ accountId: 'acct-1', transactionId: 'big', amountMinor: 50_000, decision: 'DECLINE', summary: 'DECLINE at score 0.80: big-spend, login-then-spend' });
  });

  it('applies feature rules to a late transaction but keeps it out of patterns, and says so', () => {
    const { feed } = harness();
    feed(profile({ updatedAt: T0 }), login(0), spend('on-time', 5 * MIN));
    const [late] = feed(spend('late', MIN, 20_000));
    expect(late).toMatchObject({ kind: 'scored', value: { late: true, signals: [Signal.BeyondAllowedLateness, RuleSignal.LatePatternSkipped] } });
    expect((late!.value as { ruleHits: { ruleId: string }[] }).ruleHits.map((h) => h.ruleId)).toEqual(['big-spend']);
  });

  it('prunes an idle key on the watermark, not only on its next event', () => {
    const { feed, tick, stage } = harness();
    feed(login(0));
    expect(stage.metrics).toMatchObject({ partialMatches: 1, nfas: 1 });
    tick(10 * MIN - 1);
    expect(stage.metrics.partialMatches).toBe(1);
    tick(10 * MIN);
    expect(stage.metrics).toMatchObject({ partialMatches: 0, nfas: 0, peakPartialMatches: 1 });
  });

  it('creates no pattern state for events that cannot start a run', () => {
    const { feed, stage } = harness();
    feed(spend('a', 0), login(MIN, 'LOGIN_FAILURE'), profile({ updatedAt: T0 + 2 * MIN }));
    expect(stage.metrics.peakPartialMatches).toBe(0);
  });

  it('completes an absence on the timer with an account-level alert at the window end', () => {
    const { feed, tick } = harness();
    expect(feed(login(0, 'NEW_DEVICE'))).toEqual([]);
    expect(tick(5 * MIN - 1)).toEqual([]);
    const [{ value: alert }] = tick(5 * MIN) as [Extract<RuleEngineOutput, { kind: 'alert' }>];
    expect(alert).toMatchObject({ accountId: 'acct-1', transactionId: null, eventTime: T0 + 5 * MIN, decision: 'APPROVE', score: 0.2, summary: 'silent-login: new device, no spend' });
    expect(alert.alertId).toMatch(/^silent-login:[0-9a-f]{16}$/);
    feed(login(10 * MIN, 'NEW_DEVICE'), spend('spent', 11 * MIN));
    expect(tick(20 * MIN)).toEqual([]);
  });

  it('continues partial matches across a restart from the snapshot', () => {
    const uninterrupted = harness();
    const restarted = harness();
    const before = [login(0), spend('a', MIN, 100, 'acct-2')];
    const after = [spend('b', 2 * MIN), spend('c', 3 * MIN, 20_000, 'acct-2')];
    const expected = [...uninterrupted.feed(...before), ...uninterrupted.feed(...after)];
    const first = restarted.feed(...before);
    restarted.driver.restartTask(0);
    expect([...first, ...restarted.feed(...after)]).toEqual(expected);
    expect(expected.filter((o) => o.kind === 'scored' && o.value.ruleHits.some((h) => h.ruleId === 'login-then-spend'))).toHaveLength(1);
  });

  it('restores into a pack that dropped a rule, leaving the rule partial matches behind', () => {
    const before = harness();
    before.feed(login(0));
    const after = harness([bigSpend]);
    after.driver.task(0).restore(before.driver.task(0).snapshot());
    expect(after.stage.metrics.nfas).toBe(0);
    const [scored] = after.feed(spend('a', MIN));
    expect(scored).toMatchObject({ kind: 'scored', value: { ruleHits: [], features: { extra: {} } } });
  });
});
