// Records as the scorer writes them, for the fraud store's tests.
import type { Alert, RuleHit, ScoredTransaction } from '../../../schemas';

export const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export function ruleHit(ruleId: string, overrides: Partial<RuleHit> = {}): RuleHit {
  return {
    ruleId,
    severity: 'HIGH',
    contribution: 0.4,
    explanation: `${ruleId} fired`,
    evidence: { count: '5', windowMs: '60000' },
    stages: [{ stage: 'burst', eventIds: ['tx-a', 'tx-b'], eventTimes: [T0 - 1_000, T0] }],
    ...overrides,
  };
}

/** A scored transaction; `accountId` and `eventTime` go to its transaction, the rest to the record. */
export function scoredTransaction(
  transactionId: string,
  { accountId = 'acc-1', eventTime = T0, ruleHits = [], ...overrides }: Partial<ScoredTransaction> & { accountId?: string; eventTime?: number } = {},
): ScoredTransaction {
  const velocity = { count: 1, sumMinor: 4_250, maxMinor: 4_250, distinctMerchants: 1, distinctCountries: 1, declines: 0, msSincePrevious: null };
  return {
    transaction: {
      transactionId,
      accountId,
      cardId: `card-${accountId}`,
      merchantId: 'm-7',
      mcc: '5411',
      amountMinor: 4_250,
      currency: 'EUR',
      country: 'FR',
      lat: 48.8566,
      lon: 2.3522,
      channel: 'ECOM',
      deviceId: null,
      ip: null,
      authStatus: 'APPROVED',
      eventTime,
    },
    profile: null,
    features: {
      account: velocity,
      card: velocity,
      session: { events: 1, sumMinor: 4_250, distinctMerchants: 1, distinctDevices: 1, startedAt: eventTime },
      extra: {},
    },
    ruleHits,
    signals: ['unknown-account'],
    score: ruleHits.reduce((sum, h) => Math.min(1, sum + h.contribution), 0),
    decision: ruleHits.length > 0 ? 'REVIEW' : 'APPROVE',
    late: false,
    watermark: eventTime,
    model: null,
    ...overrides,
  };
}

export function alertOf(scored: ScoredTransaction, overrides: Partial<Alert> = {}): Alert {
  const { transaction } = scored;
  return {
    alertId: `alert-${transaction.transactionId}`,
    accountId: transaction.accountId,
    transactionId: transaction.transactionId,
    cardId: transaction.cardId,
    amountMinor: transaction.amountMinor,
    currency: transaction.currency,
    decision: scored.decision,
    score: scored.score,
    ruleHits: scored.ruleHits,
    summary: `${scored.decision} ${transaction.transactionId}: ${scored.ruleHits.map((h) => h.ruleId).join(', ')}`,
    eventTime: transaction.eventTime,
    model: scored.model,
    ...overrides,
  };
}
