import fc from 'fast-check';
import type { ScoredTransaction, Transaction, VelocityFeatures } from '../../schemas/types';
import { defineJob } from '../job/define-job';
import { transaction } from '../testing/fixtures';
import { JobTestDriver } from '../testing/job-test-driver';
import { VELOCITY_FEATURES, type VelocityFeatureName } from './options';

type Windows = Record<VelocityFeatureName, number>;

/** The definition, computed from the whole history: events before this one in processing order, plus itself. */
function reference(history: readonly Transaction[], self: Transaction, windows: Windows): VelocityFeatures {
  const t = self.eventTime;
  const within = (feature: VelocityFeatureName) => [...history, self].filter((e) => e.eventTime > t - windows[feature]);
  const previous = history.filter((e) => e.eventTime > t - windows.msSincePrevious).at(-1);
  return {
    count: within('count').length,
    sumMinor: within('sumMinor').reduce((sum, e) => sum + e.amountMinor, 0),
    maxMinor: Math.max(...within('maxMinor').map((e) => e.amountMinor)),
    distinctMerchants: new Set(within('distinctMerchants').map((e) => e.merchantId)).size,
    distinctCountries: new Set(within('distinctCountries').map((e) => e.country)).size,
    declines: within('declines').filter((e) => e.authStatus === 'DECLINED').length,
    msSincePrevious: previous === undefined ? null : t - previous.eventTime,
  };
}

function sessionReference(history: readonly Transaction[], self: Transaction, gapMs: number) {
  const events = [...history, self];
  let start = events.length - 1;
  while (start > 0 && events[start]!.eventTime - events[start - 1]!.eventTime < gapMs) start--;
  const session = events.slice(start);
  return {
    events: session.length,
    sumMinor: session.reduce((sum, e) => sum + e.amountMinor, 0),
    distinctMerchants: new Set(session.map((e) => e.merchantId)).size,
    distinctDevices: new Set(session.flatMap((e) => (e.deviceId === null ? [] : [e.deviceId]))).size,
    startedAt: session[0]!.eventTime,
  };
}

const event = fc.record({
  gap: fc.oneof(fc.constantFrom(0, 1, 10_000, 30_000, 59_999, 60_000), fc.nat(200_000)),
  card: fc.nat(2),
  merchant: fc.nat(5),
  country: fc.nat(3),
  device: fc.nat(3),
  amountMinor: fc.nat(100_000),
  declined: fc.boolean(),
});
const windows = fc.record(Object.fromEntries(VELOCITY_FEATURES.map((f) => [f, fc.constantFrom(1, 30_000, 60_000, 300_000)])) as Record<VelocityFeatureName, fc.Arbitrary<number>>);

describe('velocity and session features', () => {
  it('equal a brute-force reference over the whole history, per account and per card (property)', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 80 }), windows, fc.constantFrom(1_000, 120_000), (events, windowsMs, gapMs) => {
        const job = defineJob({
          inputs: [{ topic: 'tx', kind: 'transaction' }],
          outOfOrdernessMs: 0,
          idleTimeoutMs: Infinity,
          velocity: { windowsMs },
          session: { gapMs },
        });
        const driver = new JobTestDriver(job, { partitions: 1 });
        let time = 1_000_000;
        const transactions = events.map((e, i) => {
          time += e.gap;
          return transaction({
            transactionId: `tx-${i}`,
            cardId: `card-${e.card}`,
            merchantId: `m-${e.merchant}`,
            country: `C${e.country}`,
            deviceId: e.device === 0 ? null : `d-${e.device}`,
            amountMinor: e.amountMinor,
            authStatus: e.declined ? 'DECLINED' : 'APPROVED',
            eventTime: time,
          });
        });
        for (const tx of transactions) driver.pipe({ topic: 'tx', key: tx.accountId, eventTime: tx.eventTime, value: tx });
        driver.endOfInput();
        const scored: ScoredTransaction[] = driver.readOutput();
        expect(scored.map((s) => s.transaction.transactionId)).toEqual(transactions.map((tx) => tx.transactionId));
        scored.forEach((s, i) => {
          const history = transactions.slice(0, i);
          const self = transactions[i]!;
          expect(s.features.account).toEqual(reference(history, self, windowsMs));
          expect(s.features.card).toEqual(reference(history.filter((e) => e.cardId === self.cardId), self, windowsMs));
          expect(s.features.session).toEqual(sessionReference(history, self, gapMs));
        });
      }),
      { numRuns: 200 },
    );
  });
});
