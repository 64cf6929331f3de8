// The whole starter pack through the job pipeline: every scenario fires its rule and only its
// rule's near-misses stay quiet; arrival order within the out-of-orderness bound, batching and
// restarts from snapshots do not change a byte of the output.
import fc from 'fast-check';
import { defineJob } from '../../cep/job';
import { type RuleEngineOutput, ruleEngineStage } from '../../cep/rules';
import { JobTestDriver, type TestRecord, authEvent, profile, transaction } from '../../cep/testing';
import { arrival } from '../../cep/testing/scenarios';
import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import { starterPack } from '.';

const T0 = 1_700_000_000_000;
const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const BOUND_MS = 30 * S;
const INPUTS = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'auth.events', kind: 'auth' },
  { topic: 'payments.transactions', kind: 'transaction' },
] as const;

type Value = Transaction | AuthEvent | AccountProfile;

/** Each scenario on an account of its own: [account, events relative to its start]. */
function scenarios(): Value[] {
  const events: Value[] = [];
  const tx = (accountId: string, id: string, at: number, overrides: Partial<Transaction> = {}) =>
    events.push(transaction({ accountId, cardId: `${accountId}-card`, transactionId: id, eventTime: T0 + at, ...overrides }));
  const auth = (accountId: string, id: string, at: number, type: AuthEvent['type']) => events.push(authEvent({ accountId, eventId: id, eventTime: T0 + at, type }));
  for (const accountId of ['ct', 'ct-miss', 'vb', 'it', 'it-miss', 'ato', 'ato-miss', 'fl', 'fl-miss', 'ldl', 'ldl-miss', 'hr', 'db', 'db-miss', 'ol', 'ol-miss']) {
    events.push(profile({ accountId, updatedAt: T0 - DAY, creditLimitMinor: 200_000 }));
  }
  [0, 20, 40].forEach((s, i) => tx('ct', `ct-p${i}`, s * S, { amountMinor: 150 }));
  tx('ct', 'ct-charge', 5 * MIN, { amountMinor: 80_000 });
  [0, 20, 40].forEach((s, i) => tx('ct-miss', `ct-miss-p${i}`, s * S, { amountMinor: 150 }));
  tx('ct-miss', 'ct-miss-charge', 10 * MIN + S, { amountMinor: 80_000 });
  for (let i = 0; i < 8; i++) tx('vb', `vb-${i}`, i * 7 * S);
  tx('it', 'it-paris', 0, { lat: 48.8566, lon: 2.3522, country: 'FR' });
  tx('it', 'it-nyc', 2 * HOUR, { lat: 40.7128, lon: -74.006, country: 'US', channel: 'ATM' });
  tx('it-miss', 'it-miss-paris', 0, { lat: 48.8566, lon: 2.3522, country: 'FR' });
  tx('it-miss', 'it-miss-web', HOUR, { lat: 40.7128, lon: -74.006, country: 'US', channel: 'ECOM' });
  auth('ato', 'ato-change', 0, 'PASSWORD_CHANGE');
  tx('ato', 'ato-pay', 12 * MIN, { amountMinor: 120_000 });
  auth('ato-miss', 'ato-miss-change', 0, 'PASSWORD_CHANGE');
  tx('ato-miss', 'ato-miss-pay', 31 * MIN, { amountMinor: 100_000 });
  for (let i = 0; i < 11; i++) auth('fl', `fl-${i}`, i * 4 * S, 'LOGIN_FAILURE');
  for (let i = 0; i < 10; i++) auth('fl-miss', `fl-miss-${i}`, i * 4 * S, 'LOGIN_FAILURE');
  auth('ldl', 'ldl-login', 0, 'LOGIN_SUCCESS');
  tx('ldl', 'ldl-declined', MIN, { authStatus: 'DECLINED' });
  auth('ldl', 'ldl-lockout', 3 * MIN, 'LOCKOUT');
  auth('ldl-miss', 'ldl-miss-login', 0, 'LOGIN_SUCCESS');
  tx('ldl-miss', 'ldl-miss-declined', MIN, { authStatus: 'DECLINED' });
  auth('ldl-miss', 'ldl-miss-lockout', 11 * MIN, 'LOCKOUT');
  ['7995', '5411', '6051', '4829'].forEach((mcc, i) => tx('hr', `hr-${i}`, i * MIN, { mcc }));
  tx('db', 'db-old', -90 * DAY);
  [0, 1, 2, 3].forEach((m) => tx('db', `db-${m}`, m * MIN));
  tx('db-miss', 'db-miss-old', -89 * DAY);
  [0, 1, 2, 3].forEach((m) => tx('db-miss', `db-miss-${m}`, m * MIN));
  tx('ol', 'ol-big', MIN, { amountMinor: 300_000 });
  tx('ol-miss', 'ol-miss-big', MIN, { amountMinor: 280_000 });
  return events;
}

const EXPECTED_HITS = [
  'account-takeover@ato-pay',
  'card-testing@ct-charge',
  'dormant-burst@db-3',
  'failed-logins@fl-10',
  'high-risk-mcc-spree@hr-3',
  'impossible-travel@it-nyc',
  'login-decline-lockout@ldl-lockout',
  'over-limit@ol-big',
  'velocity-burst@vb-7',
];

const timeOf = (value: Value): number => ('updatedAt' in value ? value.updatedAt : value.eventTime);
const topicOf = (value: Value): string => ('transactionId' in value ? INPUTS[2].topic : 'updatedAt' in value ? INPUTS[0].topic : INPUTS[1].topic);

/**
 * One log per input topic, in offset order: each record written up to BOUND_MS after its event
 * time, so records of a log are out of event-time order but never beyond the bound.
 */
function logsOf(values: readonly Value[], delays: readonly number[]): TestRecord[][] {
  const written = values.map((value, i) => ({ value, writeAt: timeOf(value) + Math.floor(delays[i % delays.length]! * BOUND_MS) }));
  written.sort((a, b) => a.writeAt - b.writeAt || timeOf(b.value) - timeOf(a.value));
  return INPUTS.map(({ topic }) =>
    written.filter(({ value }) => topicOf(value) === topic).map(({ value }) => ({ topic, key: value.accountId, eventTime: timeOf(value), value })),
  );
}

function run(batches: readonly TestRecord[][], restartAfter: ReadonlySet<number> = new Set()): RuleEngineOutput[] {
  const job = defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 60 * S, stage: ruleEngineStage(starterPack) });
  const driver = new JobTestDriver(job, { partitions: 1 });
  batches.forEach((batch, i) => {
    driver.pipeBatch(batch);
    if (restartAfter.has(i)) driver.restartTask(0);
  });
  return driver.endOfInput().readOutput();
}

function hitsOf(outputs: readonly RuleEngineOutput[]): string[] {
  const hits = outputs.flatMap((o) => {
    if (o.kind === 'scored') return o.value.ruleHits.map((h) => `${h.ruleId}@${o.value.transaction.transactionId}`);
    if (o.value.transactionId !== null && o.value.alertId === `tx:${o.value.transactionId}`) return [];
    const hit = o.value.ruleHits[0]!;
    return [`${hit.ruleId}@${hit.stages[hit.stages.length - 1]!.eventIds.at(-1)}`];
  });
  return hits.sort();
}

describe('starter pack', () => {
  const values = scenarios();

  it('fires each rule on its scenario and on none of the near-misses', () => {
    const outputs = run([logsOf(values, [0]).flat()]);
    expect(hitsOf(outputs)).toEqual(EXPECTED_HITS);
    expect(outputs.filter((o) => o.kind === 'scored')).toHaveLength(values.filter((v) => 'transactionId' in v).length);
  });

  it('gives identical output for a log whatever its arrival within the bound, batching and restarts', () => {
    // A log fixes each record's offset, the tie-breaker at equal event time; what varies is how
    // the three topics interleave on arrival, how they are cut into batches, and crashes.
    const scenario = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }).chain((delays) => {
      const logs = logsOf(values, delays);
      return fc.tuple(fc.constant(logs), arrival(logs), fc.uniqueArray(fc.nat(30), { maxLength: 4 }));
    });
    fc.assert(
      fc.property(scenario, ([logs, batches, restarts]) => {
        const reference = run([logs.flat()]);
        expect(hitsOf(reference)).toEqual(EXPECTED_HITS);
        expect(JSON.stringify(run(batches, new Set(restarts)))).toBe(JSON.stringify(reference));
      }),
      { numRuns: 30 },
    );
  });
});
