// Casts the behaviours over the run: how many instances, which behaviour each plays, on which
// ordinary account, from when. Victims, mules and look-alikes are the baseline's own accounts, with
// their everyday traffic going on around them, so that nothing but the behaviour sets them apart.
import type { Absence } from '../baseline';
import type { Account, Ids, Merchants } from '../population';
import type { Random } from '../random';
import { FRAUD_BEHAVIOURS, LOOK_ALIKES } from './catalog';
import type { Value } from './parameters';
import { Story, type Behaviour, type Step } from './story';

/** Look-alike instances per 10,000 baseline payments: legitimate traffic that resembles fraud. */
export const LOOK_ALIKES_PER_10K = 10;
/** Draws of behaviour, account and start an instance gets to fit the run before it is left out. */
const ATTEMPTS = 100;

export interface PlannedInstance {
  readonly id: string;
  readonly behaviour: Behaviour;
  readonly account: Account;
  readonly start: number;
  readonly steps: readonly Step[];
  readonly drawn: ReadonlyMap<string, readonly Value[]>;
  /** When the account's ordinary traffic pauses for it. */
  readonly absences: readonly Absence[];
}

export interface BehaviourPlanOptions {
  readonly random: Random;
  readonly ids: Ids;
  readonly merchants: Merchants;
  /** The baseline's accounts, which the instances happen to. */
  readonly accounts: readonly Account[];
  /** The event time the run covers, [start, end). */
  readonly start: number;
  readonly end: number;
  readonly fraudInstances: number;
  readonly lookAlikes: number;
  readonly fraud?: readonly Behaviour[];
  readonly lookAlikeBehaviours?: readonly Behaviour[];
}

/**
 * Look-alikes first, so that the amount of fraud asked for changes nothing about them. Each instance
 * draws its behaviour, account and start until it fits: on an account no other instance occupies
 * meanwhile, and, for fraud, wholly within the run, so that its labels are complete. A behaviour
 * longer than the run therefore has no instance in it. A look-alike may run past the end, as in any
 * recording something is always under way; its steps after the end are not played.
 */
export function planBehaviours(options: BehaviourPlanOptions): PlannedInstance[] {
  const { random, ids, accounts, start, end } = options;
  const occupied = new Map<Account, Absence[]>();
  const plan = (kind: 'look-alike' | 'fraud', behaviours: readonly Behaviour[], count: number): PlannedInstance[] =>
    Array.from({ length: count }, (_, i) => i + 1).flatMap((sequence) => {
      const id = ids.instance(kind, sequence);
      const instanceRandom = random.fork(id);
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const behaviour = instanceRandom.weighted(behaviours, (b) => b.weight);
        const account = instanceRandom.pick(accounts);
        const story = new Story({ name: behaviour.name, parameters: behaviour.parameters, random: instanceRandom, merchants: options.merchants, account, start: start + Math.floor(instanceRandom.next() * (end - start)) });
        behaviour.play(story);
        if (behaviour.fraud && story.end >= end) continue;
        const span = { from: story.start, until: Math.max(story.end + 1, ...story.absences.map((a) => a.until)) };
        const taken = occupied.get(account) ?? [];
        if (taken.some((other) => other.from < span.until && span.from < other.until)) continue;
        occupied.set(account, [...taken, span]);
        return [{ id, behaviour, account, start: story.start, steps: story.steps.filter((step) => step.at < end), drawn: story.drawn, absences: story.absences }];
      }
      return [];
    });
  return [...plan('look-alike', options.lookAlikeBehaviours ?? LOOK_ALIKES, options.lookAlikes), ...plan('fraud', options.fraud ?? FRAUD_BEHAVIOURS, options.fraudInstances)];
}

/** Instances for `perTenThousand` per 10,000 of the run's baseline payments. */
export function instancesFor(perTenThousand: number, baselinePayments: number): number {
  return Math.round((perTenThousand * baselinePayments) / 10_000);
}
