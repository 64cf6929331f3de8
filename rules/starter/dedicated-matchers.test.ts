// The starter pack's patterns run on dedicated matchers where their shape has one (times, sequences
// of single or times stages, a loop then one event); the same pack with every pattern on the
// general NFA must give the same outputs, byte for byte, and the same partial-match counts, on
// any stream.
import fc from 'fast-check';
import type * as Job from '../../cep/job';
import type * as Rules from '../../cep/rules';
import { type TestRecord, authEvent, JobTestDriver, profile, transaction } from '../../cep/testing';
import type { AccountProfile, AuthEvent, AuthEventType, Channel, Transaction } from '../../schemas/types';
import type * as Pack from '.';

const T0 = 1_700_000_000_000;
const S = 1_000;
const BOUND_MS = 5 * S;
const INPUTS = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'auth.events', kind: 'auth' },
  { topic: 'payments.transactions', kind: 'transaction' },
] as const;

interface Engine {
  readonly defineJob: typeof Job.defineJob;
  readonly ruleEngineStage: typeof Rules.ruleEngineStage;
  readonly starterPack: typeof Pack.starterPack;
}

/** The pack and engine as loaded, or with no pattern shape recognised, so that every pattern compiles to the NFA. */
function loadEngine(generalNfaOnly: boolean): Engine {
  let engine: Engine | undefined;
  jest.isolateModules(() => {
    if (generalNfaOnly) {
      jest.doMock('../../cep/nfa/times-matcher', () => ({ ...jest.requireActual('../../cep/nfa/times-matcher'), timesShapeOf: () => null }));
      jest.doMock('../../cep/nfa/sequence-matcher', () => ({ ...jest.requireActual('../../cep/nfa/sequence-matcher'), sequenceShapeOf: () => null }));
      jest.doMock('../../cep/nfa/loop-matcher', () => ({ ...jest.requireActual('../../cep/nfa/loop-matcher'), loopShapeOf: () => null }));
    }
    engine = {
      defineJob: (jest.requireActual('../../cep/job') as typeof Job).defineJob,
      ruleEngineStage: (jest.requireActual('../../cep/rules') as typeof Rules).ruleEngineStage,
      starterPack: (jest.requireActual('.') as typeof Pack).starterPack,
    };
  });
  jest.dontMock('../../cep/nfa/times-matcher');
  jest.dontMock('../../cep/nfa/sequence-matcher');
  jest.dontMock('../../cep/nfa/loop-matcher');
  return engine!;
}

const dedicated = loadEngine(false);
const generalNfa = loadEngine(true);

const ACCOUNTS = ['a1', 'a2'];
const AUTH_TYPES: AuthEventType[] = ['LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOCKOUT', 'PASSWORD_CHANGE', 'NEW_DEVICE'];
const CHANNELS: Channel[] = ['POS', 'ECOM', 'ATM'];
/** Probes, everyday, large-charge and over-limit amounts, so that every rule can fire. */
const AMOUNTS = [100, 150, 5_000, 60_000, 120_000, 400_000];
const MCCS = ['5411', '7995', '6051'];

type Value = Transaction | AuthEvent | AccountProfile;
type EventSpec = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A burst of `repeat` like events of a random kind on a random account, `gapMs` apart and after
 * the previous burst: bursts make runs of probes, failed logins or high-risk spending likely.
 */
const eventArb = fc.record({
  account: fc.constantFrom(...ACCOUNTS),
  kind: fc.constantFrom('tx', 'tx', 'tx', 'auth', 'auth', 'profile'),
  repeat: fc.constantFrom(1, 1, 1, 2, 3, 12),
  // Now and then a silence of 91 days, so that the dormancy rule has accounts to wake.
  gapMs: fc.constantFrom(0, S, 5 * S, 2 * 60 * S, 8 * 60 * S, 0, S, 91 * 86_400 * S),
  card: fc.constantFrom('c1', 'c2'),
  amountMinor: fc.constantFrom(...AMOUNTS),
  mcc: fc.constantFrom(...MCCS),
  channel: fc.constantFrom(...CHANNELS),
  declined: fc.boolean(),
  far: fc.boolean(),
  authType: fc.constantFrom(...AUTH_TYPES),
  emailVersion: fc.nat(1),
});

function valuesOf(events: readonly EventSpec[]): Value[] {
  let time = T0;
  const values: Value[] = ACCOUNTS.map((accountId) => profile({ accountId, updatedAt: T0 - S, creditLimitMinor: 200_000 }));
  events.flatMap((e) => Array<EventSpec>(e.repeat).fill(e)).forEach((e, i) => {
    time += e.gapMs;
    const accountId = e.account;
    if (e.kind === 'tx') {
      values.push(
        transaction({
          accountId,
          transactionId: `t${i}`,
          cardId: `${accountId}-${e.card}`,
          amountMinor: e.amountMinor,
          mcc: e.mcc,
          channel: e.channel,
          authStatus: e.declined ? 'DECLINED' : 'APPROVED',
          lat: e.far ? -33.87 : 48.85,
          lon: e.far ? 151.21 : 2.35,
          eventTime: time,
        }),
      );
    } else if (e.kind === 'auth') {
      values.push(authEvent({ accountId, eventId: `e${i}`, type: e.authType, eventTime: time }));
    } else {
      values.push(profile({ accountId, updatedAt: time, creditLimitMinor: 200_000, emailFingerprint: `email-${e.emailVersion}` }));
    }
  });
  return values;
}

function recordOf(value: Value): TestRecord {
  if ('transactionId' in value) return { topic: INPUTS[2].topic, key: value.accountId, eventTime: value.eventTime, value };
  if ('updatedAt' in value) return { topic: INPUTS[0].topic, key: value.accountId, eventTime: value.updatedAt, value };
  return { topic: INPUTS[1].topic, key: value.accountId, eventTime: value.eventTime, value };
}

function run(engine: Engine, records: readonly TestRecord[]) {
  const stage = engine.ruleEngineStage(engine.starterPack);
  const job = engine.defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 60 * S, stage });
  const outputs = new JobTestDriver(job, { partitions: 1 }).pipeBatch(records).endOfInput().readOutput();
  return { outputs: JSON.stringify(outputs), metrics: stage.metrics };
}

/** Each pattern rule's matcher, by the format of its snapshot: 1 for the NFA. */
const formats = (engine: Engine) => engine.starterPack.rules.flatMap((rule) => (rule.pattern === null ? [] : [[rule.id, rule.pattern.matchers.create().toSnapshot().format]]));

it('runs the general NFA only where no dedicated matcher fits', () => {
  expect(Object.fromEntries(formats(dedicated))).toEqual({
    'account-takeover': 'sequence',
    'card-testing': 'loop',
    'dormant-burst': 'sequence',
    'failed-logins': 'times',
    'high-risk-mcc-spree': 'times',
    'login-decline-lockout': 'sequence',
  });
  expect(formats(generalNfa).every(([, format]) => format === 1)).toBe(true);
});

it('gives the same outputs and partial-match counts on dedicated matchers as on the general NFA', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
      const records = valuesOf(events).map(recordOf);
      expect(run(dedicated, records)).toEqual(run(generalNfa, records));
    }),
    { numRuns: 300 },
  );
});
