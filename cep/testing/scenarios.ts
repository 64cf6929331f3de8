// Random event logs for the engine's property tests (not exported: it needs fast-check).
import fc from 'fast-check';
import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import type { InputSpec } from '../job/types';
import { authEvent, profile, transaction } from './fixtures';
import { type TestRecord, partitionOf } from './job-test-driver';

export const INPUTS: readonly InputSpec[] = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'auth.events', kind: 'auth' },
  { topic: 'payments.transactions', kind: 'transaction' },
];

interface EventDraft {
  readonly kind: 'transaction' | 'profile' | 'auth';
  readonly account: number;
  readonly card: number;
  readonly merchant: number;
  readonly country: number;
  readonly device: number;
  readonly amountMinor: number;
  readonly declined: boolean;
  readonly gapMs: number;
  /** How far behind the newest event of its log this record is written, within the bound. */
  readonly delayFraction: number;
}

const draft = fc.record({
  kind: fc.constantFrom('transaction', 'transaction', 'transaction', 'profile', 'auth'),
  account: fc.nat(4),
  card: fc.nat(1),
  merchant: fc.nat(3),
  country: fc.nat(2),
  device: fc.nat(3),
  amountMinor: fc.integer({ min: 0, max: 50_000 }),
  declined: fc.boolean(),
  gapMs: fc.oneof(fc.constantFrom(0, 1_000, 2_500, 5_000, 15_000), fc.integer({ min: 0, max: 40_000 })),
  delayFraction: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
}) as fc.Arbitrary<EventDraft>;

export const drafts = (maxLength = 60): fc.Arbitrary<EventDraft[]> => fc.array(draft, { minLength: 1, maxLength });

function topicOf(kind: EventDraft['kind']): string {
  return INPUTS.find((input) => input.kind === kind)!.topic;
}

function value(d: EventDraft, index: number, eventTime: number): Transaction | AccountProfile | AuthEvent {
  const accountId = `acct-${d.account}`;
  switch (d.kind) {
    case 'transaction':
      return transaction({
        transactionId: `tx-${index}`,
        accountId,
        cardId: `${accountId}-card-${d.card}`,
        merchantId: `m-${d.merchant}`,
        country: ['DE', 'FR', 'US'][d.country]!,
        deviceId: d.device === 0 ? null : `dev-${d.device}`,
        amountMinor: d.amountMinor,
        authStatus: d.declined ? 'DECLINED' : 'APPROVED',
        eventTime,
      });
    case 'profile':
      return profile({ accountId, updatedAt: eventTime, riskTier: (['LOW', 'MEDIUM', 'HIGH'] as const)[d.country]!, emailFingerprint: `email-${index}` });
    case 'auth':
      return authEvent({ eventId: `auth-${index}`, accountId, deviceId: `dev-${d.device}`, eventTime });
  }
}

/**
 * The topic-partition logs of a scenario, each in offset order. Event times grow by the drafts'
 * gaps; each record is written up to `boundMs` later than its event time, so within a log every
 * record is at most `boundMs` behind the newest one before it: on time by definition. Each log
 * starts with a record at time 0 so that no partition holds the watermark at -Infinity.
 */
export function logsOf(drafts: readonly EventDraft[], partitions: number, boundMs: number): TestRecord[][] {
  const logs = new Map<string, { writeAt: number; record: TestRecord }[]>();
  const append = (record: TestRecord & { partition: number }, writeAt: number): void => {
    const id = `${record.topic}/${record.partition}`;
    if (!logs.has(id)) logs.set(id, []);
    logs.get(id)!.push({ writeAt, record });
  };
  for (let partition = 0; partition < partitions; partition++) {
    for (const input of INPUTS) {
      let seed = 0;
      while (partitionOf(`seed-${seed}`, partitions) !== partition) seed++;
      const key = `seed-${seed}`;
      const seedValue = input.kind === 'transaction' ? transaction({ accountId: key, transactionId: `seed-${input.kind}-${partition}` })
        : input.kind === 'profile' ? profile({ accountId: key }) : authEvent({ accountId: key });
      append({ topic: input.topic, partition, key, eventTime: 0, value: seedValue }, 0);
    }
  }
  let eventTime = 1_000;
  drafts.forEach((d, index) => {
    eventTime += d.gapMs;
    const key = `acct-${d.account}`;
    const partition = partitionOf(key, partitions);
    append({ topic: topicOf(d.kind), partition, key, eventTime, value: value(d, index, eventTime) }, eventTime + Math.floor(d.delayFraction * boundMs));
  });
  // At equal write time the later event goes first, so that a record written exactly `boundMs`
  // after its event time really is `boundMs` behind the newest record before it.
  const written = (a: { writeAt: number; record: TestRecord }, b: typeof a): number => a.writeAt - b.writeAt || b.record.eventTime! - a.record.eventTime!;
  return [...logs.values()].map((log) => log.sort(written).map(({ record }) => record));
}

/** One arrival order of the logs: an interleaving that keeps each log's order, cut into batches. */
export const arrival = (logs: readonly TestRecord[][]): fc.Arbitrary<TestRecord[][]> => {
  const total = logs.reduce((n, log) => n + log.length, 0);
  return fc
    .tuple(fc.array(fc.nat(logs.length - 1), { minLength: total * 2, maxLength: total * 2 }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: total, maxLength: total }))
    .map(([choices, sizes]) => {
      const cursors = logs.map(() => 0);
      const order: TestRecord[] = [];
      for (const choice of choices) {
        const log = logs[choice]!;
        if (cursors[choice]! < log.length) order.push(log[cursors[choice]!++]!);
      }
      logs.forEach((log, i) => order.push(...log.slice(cursors[i])));
      const batches: TestRecord[][] = [];
      for (let at = 0, b = 0; at < order.length; at += sizes[b++]!) batches.push(order.slice(at, at + sizes[b]!));
      return batches;
    });
};
