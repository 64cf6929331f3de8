// The behavioural generator inside a whole run: reproducible, every fraudulent payment labelled once
// with its behaviour and instance, nothing legitimate labelled, the look-alikes there and unlabelled,
// the victims' ordinary traffic going on around them (and pausing where a behaviour says so), and
// fraud at a fraud team's share of the payments.
import type { AccountProfile, FraudLabel, Transaction } from '../../../schemas/types';
import { resolveOptions, type SimulationOptions } from '../options';
import type { SimRecord } from '../records';
import { Simulation } from '../simulation';
import { FRAUD_BEHAVIOURS, LOOK_ALIKES } from './catalog';
import type { PlannedInstance } from './plan';
import type { PaymentStep } from './story';

/** About 4.6 days at one payment a second: long enough for every behaviour to fit. */
const DAYS = { rate: 0, count: 400_000, eventRate: 1, accounts: 1_000, mix: 'behavioural' } as const satisfies SimulationOptions;

function run(options: SimulationOptions) {
  const simulation = new Simulation(resolveOptions(options));
  const records = [...simulation.history, ...simulation.records()];
  return { simulation, records };
}

const transactions = (records: readonly SimRecord[]) => records.flatMap((r) => (r.kind === 'transaction' ? [r.value] : []));
const labels = (records: readonly SimRecord[]) => records.flatMap((r) => (r.kind === 'label' ? [r.value] : []));
/** What identifies a planned payment among the run's transactions without its id. */
const stepKey = (instance: PlannedInstance, step: PaymentStep) => `${instance.account.id}|${step.at}|${step.merchant.id}|${step.amountMinor}`;
const transactionKey = (tx: Transaction) => `${tx.accountId}|${tx.eventTime}|${tx.merchantId}|${tx.amountMinor}`;

describe('the behavioural generator in a run of days', () => {
  const { simulation, records } = run({ ...DAYS, seed: 'days', fraudRate: 20 });
  const byKey = new Map<string, Transaction[]>();
  for (const tx of transactions(records)) byKey.set(transactionKey(tx), [...(byKey.get(transactionKey(tx)) ?? []), tx]);
  const labelsOf = new Map<string, FraudLabel[]>();
  for (const label of labels(records)) labelsOf.set(label.eventId, [...(labelsOf.get(label.eventId) ?? []), label]);
  const paymentsOf = (instance: PlannedInstance) =>
    instance.steps.flatMap((step) => (step.kind === 'payment' ? [{ step, found: byKey.get(stepKey(instance, step)) ?? [] }] : []));
  const fraud = simulation.behaviours.filter((b) => b.behaviour.fraud);
  const lookAlikes = simulation.behaviours.filter((b) => !b.behaviour.fraud);

  it('plays every behaviour and every look-alike', () => {
    const played = new Set(simulation.behaviours.map((b) => b.behaviour.name));
    expect([...FRAUD_BEHAVIOURS, ...LOOK_ALIKES].map((b) => b.name).filter((name) => !played.has(name))).toEqual([]);
    expect(fraud).toHaveLength(800);
  });

  it('labels every fraudulent payment exactly once, with its behaviour and instance', () => {
    const wrong: string[] = [];
    for (const instance of fraud) {
      for (const { step, found } of paymentsOf(instance)) {
        if (found.length !== 1) {
          wrong.push(`${instance.id} at ${step.at}: ${found.length} transactions`);
          continue;
        }
        const [tx] = found;
        const expected: FraudLabel = {
          eventId: tx!.transactionId,
          accountId: instance.account.id,
          scenario: instance.behaviour.name,
          expectedRuleId: null,
          fraud: true,
          eventTime: tx!.eventTime,
          instanceId: instance.id,
          behavioural: true,
        };
        const got = labelsOf.get(tx!.transactionId) ?? [];
        if (got.length !== 1 || JSON.stringify(got[0]) !== JSON.stringify(expected)) wrong.push(`${tx!.transactionId}: ${JSON.stringify(got)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('labels nothing else: no ordinary payment, no look-alike, nothing twice', () => {
    const fraudPayments = fraud.reduce((n, b) => n + paymentsOf(b).length, 0);
    expect(labels(records)).toHaveLength(fraudPayments);
    const lookAlikePayments = lookAlikes.flatMap(paymentsOf);
    expect(lookAlikePayments.length).toBeGreaterThan(1_000);
    expect(lookAlikePayments.filter(({ found }) => found.length !== 1 || labelsOf.has(found[0]!.transactionId))).toEqual([]);
  });

  it('numbers its payments in the ordinary sequence, so an id tells nothing', () => {
    const ids = transactions(records).map((tx) => tx.transactionId);
    expect(ids.every((id) => /^tx-days-\d{8}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves the ordinary traffic of victims going, except while a behaviour has them away', () => {
    const victims = new Set(fraud.map((b) => b.account.id));
    const ordinary = records.filter((r) => r.origin === 'baseline' && r.kind === 'transaction' && victims.has(r.key!));
    expect(ordinary.length).toBeGreaterThan(victims.size);
    const away = simulation.behaviours.flatMap((b) => b.absences.map((a) => ({ account: b.account.id, ...a })));
    expect(away.length).toBeGreaterThan(0);
    const during = records.filter((r) => r.origin === 'baseline' && r.kind !== 'profile' && away.some((a) => a.account === r.key && a.from <= r.timestamp && r.timestamp < a.until));
    expect(during).toEqual([]);
  });

  it('records a contact change as the next profile version of the account, with a new email or phone only', () => {
    const versions = new Map<string, SimRecord[]>();
    for (const r of records) if (r.kind === 'profile') versions.set(r.key!, [...(versions.get(r.key!) ?? []), r]);
    const changes = records.filter((r) => r.kind === 'profile' && r.origin === 'behaviour');
    expect(changes.length).toBeGreaterThan(10);
    for (const change of changes) {
      const history = [...versions.get(change.key!)!].sort((x, y) => x.timestamp - y.timestamp);
      const at = history.indexOf(change);
      const before = history[at - 1]!.value as AccountProfile;
      const after = change.value as AccountProfile;
      const changed = (Object.keys(after) as Array<keyof AccountProfile>).filter((field) => after[field] !== before[field]);
      expect([changed.length, changed.includes('updatedAt'), changed.some((f) => f === 'emailFingerprint' || f === 'phoneFingerprint')]).toEqual([2, true, true]);
    }
  });
});

describe('the behavioural generator, reproducibly', () => {
  const options = { ...DAYS, count: 60_000, seed: 'again' } as const;

  it('generates the same records and labels for the same seed, and others for another seed', () => {
    const a = run(options).records;
    const b = run(options).records;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const other = run({ ...options, seed: 'other' }).records;
    expect(labels(a).length).toBeGreaterThan(0);
    expect(labels(other).map((l) => [l.scenario, l.eventTime])).not.toEqual(labels(a).map((l) => [l.scenario, l.eventTime]));
  });

  it('plays the same look-alikes whatever the amount of fraud', () => {
    const lookAlikes = (fraudRate: number) =>
      new Simulation(resolveOptions({ ...options, fraudRate })).behaviours.filter((b) => !b.behaviour.fraud).map((b) => `${b.id} ${b.behaviour.name} ${b.account.id} ${b.start}`);
    expect(lookAlikes(0)).toEqual(lookAlikes(20));
  });
});

describe('the share of fraud', () => {
  it('is a few tenths of a percent of the payments at the default rate', () => {
    const { records } = run({ ...DAYS, seed: 'share' });
    const share = labels(records).length / transactions(records).length;
    expect(share).toBeGreaterThan(0.001);
    expect(share).toBeLessThan(0.005);
  });

  it('is none at a rate of 0, while the look-alikes remain', () => {
    const { simulation, records } = run({ ...DAYS, count: 60_000, seed: 'none', fraudRate: 0 });
    expect(labels(records)).toEqual([]);
    expect(simulation.behaviours.length).toBeGreaterThan(0);
  });

  it('fits every fraud instance within the run, giving a short run the behaviours that fit it', () => {
    const { simulation, records } = run({ rate: 0, count: 90_000, eventRate: 25, accounts: 1_500, mix: 'behavioural', seed: 'hour' });
    const end = resolveOptions({ rate: 0, count: 90_000, eventRate: 25 }).start + 3_600_000;
    expect(simulation.behaviours.filter((b) => b.behaviour.fraud)).toHaveLength(27);
    expect(Math.max(...labels(records).map((l) => l.eventTime))).toBeLessThan(end);
    expect(simulation.behaviours.filter((b) => b.behaviour.name === 'low-and-slow')).toEqual([]);
  });
});
