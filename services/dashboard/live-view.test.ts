import { transactionAlertId } from '../../cep/rules';
import { alertOf, ruleHit, scoredTransaction, T0 } from '../fraud-store/testing/fixtures';
import { LiveView } from './live-view';

const NOW = T0 + 2_000;
const at = (timestamp: number) => ({ timestamp });

describe('LiveView', () => {
  it('keeps the newest transactions, newest first, with the ids and times a latency probe needs', () => {
    const view = new LiveView({ recentTransactions: 3 });
    for (let i = 1; i <= 5; i++) view.addScored(scoredTransaction(`tx-${i}`, { eventTime: T0 + i }), at(T0 + i + 100), NOW);
    const { transactions } = view.snapshot(NOW);
    expect(transactions.map((r) => r.transactionId)).toEqual(['tx-5', 'tx-4', 'tx-3']);
    expect(transactions[0]).toMatchObject({ seq: 5, eventTime: T0 + 5, timestamp: T0 + 105, accountId: 'acc-1', amountMinor: 4_250, currency: 'EUR' });
  });

  it('counts decisions, late records, score bins and the newest watermark', () => {
    const view = new LiveView();
    view.addScored(scoredTransaction('a', { score: 0, decision: 'APPROVE', watermark: T0 + 10 }), at(T0), NOW);
    view.addScored(scoredTransaction('b', { score: 0.55, decision: 'REVIEW', watermark: T0 + 30 }), at(T0), NOW);
    view.addScored(scoredTransaction('c', { score: 1, decision: 'DECLINE', late: true, watermark: T0 + 20 }), at(T0), NOW);
    const { stats } = view.snapshot(NOW);
    expect(stats.decisions).toEqual({ APPROVE: 1, REVIEW: 1, DECLINE: 1 });
    expect(stats).toMatchObject({ scored: 3, late: 1, alerts: 0, rejected: 0, watermark: T0 + 30, watermarkLagMs: NOW - (T0 + 30) });
    // 0 in the first bin, 0.55 in [0.5, 0.6), and a score of exactly 1 in the last bin.
    expect(stats.scoreHistogram).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('counts rule hits once per firing: a transaction alert repeats its scored record, an account alert does not', () => {
    const view = new LiveView();
    const scored = scoredTransaction('tx-1', { ruleHits: [ruleHit('velocity-burst'), ruleHit('over-limit')] });
    view.addScored(scored, at(T0), NOW);
    view.addAlert(alertOf(scored, { alertId: transactionAlertId('tx-1') }), at(T0), NOW);
    view.addAlert(alertOf(scored, { alertId: 'failed-logins:abc', transactionId: null, ruleHits: [ruleHit('failed-logins')] }), at(T0), NOW);
    view.addAlert(alertOf(scored, { alertId: 'account-takeover:def', ruleHits: [ruleHit('velocity-burst')] }), at(T0), NOW);
    expect(view.snapshot(NOW).stats.ruleHits).toEqual([
      { ruleId: 'velocity-burst', count: 2 },
      { ruleId: 'failed-logins', count: 1 },
      { ruleId: 'over-limit', count: 1 },
    ]);
  });

  it('keeps each alert with its rules, explanations and evidence', () => {
    const view = new LiveView();
    const hit = ruleHit('card-testing', { explanation: '6 small payments in 40 s', evidence: { payments: '6', windowMs: '40000' } });
    const scored = scoredTransaction('tx-9', { ruleHits: [hit], decision: 'DECLINE', score: 0.9 });
    view.addAlert(alertOf(scored), at(T0 + 5), NOW);
    expect(view.snapshot(NOW).alerts).toEqual([
      expect.objectContaining({
        seq: 1,
        transactionId: 'tx-9',
        decision: 'DECLINE',
        timestamp: T0 + 5,
        hits: [{ ruleId: 'card-testing', severity: 'HIGH', contribution: 0.4, explanation: '6 small payments in 40 s', evidence: { payments: '6', windowMs: '40000' } }],
      }),
    ]);
  });

  it("keeps a model's verdict with each feature's meaning, and none when the rules decided", () => {
    const view = new LiveView();
    const model = {
      model: 'behavioural@0123456789ab',
      featureVersion: 'v1-00000000',
      score: 0.93,
      ruleScore: 0.2,
      method: 'tree-shap',
      contributions: [
        { feature: 'rule:velocity-burst', value: 1, contribution: 2.1 },
        { feature: 'account_60s_count', value: 9, contribution: 1.2 },
        { feature: 'amount_vs_account_mean', value: null, contribution: -0.3 },
      ],
    };
    view.addAlert(alertOf(scoredTransaction('tx-1'), { model }), at(T0), NOW);
    view.addAlert(alertOf(scoredTransaction('tx-2')), at(T0), NOW);
    const [second, first] = view.snapshot(NOW).alerts;
    expect(second!.model).toBeNull();
    expect(first!.model).toEqual({
      model: 'behavioural@0123456789ab',
      score: 0.93,
      ruleScore: 0.2,
      method: 'tree-shap',
      contributions: [
        { feature: 'rule:velocity-burst', description: 'rule velocity-burst fired on the payment', value: 1, contribution: 2.1 },
        { feature: 'account_60s_count', description: 'payments of the account in the 60 s up to this one, this one included', value: 9, contribution: 1.2 },
        { feature: 'amount_vs_account_mean', description: expect.stringMatching(/^the log amount's distance from the account's running mean/), value: null, contribution: -0.3 },
      ],
    });
  });

  it('measures throughput on the wall clock of arrival, not on event time', () => {
    const view = new LiveView({ throughputWindowSeconds: 10 });
    const start = 1_800_000_000_000;
    for (let i = 0; i < 30; i++) view.addScored(scoredTransaction(`tx-${i}`, { eventTime: T0 }), at(T0), start + i * 100);
    const { throughput } = view.snapshot(start + 3_000).stats;
    expect(throughput.scoredPerSecond).toBeCloseTo(10, 6);
    expect(throughput.history.slice(-4)).toEqual([10, 10, 10, 0]);
  });

  describe('takeUpdate', () => {
    it('carries only the rows since the previous update, and nothing when nothing changed', () => {
      const view = new LiveView();
      view.addScored(scoredTransaction('tx-1'), at(T0), NOW);
      view.addScored(scoredTransaction('tx-2'), at(T0), NOW);
      const first = view.takeUpdate(NOW)!;
      expect(first.transactions.map((r) => r.transactionId)).toEqual(['tx-2', 'tx-1']);
      expect(first.stats.scored).toBe(2);
      expect(view.takeUpdate(NOW)).toBeUndefined();

      view.addScored(scoredTransaction('tx-3'), at(T0), NOW);
      const second = view.takeUpdate(NOW)!;
      expect(second.transactions.map((r) => r.transactionId)).toEqual(['tx-3']);
      expect(second.alerts).toEqual([]);
      expect(view.snapshot(NOW).transactions).toHaveLength(3);
    });

    it('has nothing to send before the first record, and reports a skipped record as a change', () => {
      const view = new LiveView();
      expect(view.takeUpdate(NOW)).toBeUndefined();
      view.addRejected();
      expect(view.takeUpdate(NOW)?.stats.rejected).toBe(1);
    });

    it('sends the throughput falling after the traffic stops, then goes quiet; watermark lag alone is no change', () => {
      const view = new LiveView({ throughputWindowSeconds: 2, historySeconds: 2 });
      view.addScored(scoredTransaction('tx-1'), at(T0), NOW);
      expect(view.takeUpdate(NOW)?.stats.throughput.scoredPerSecond).toBeGreaterThan(0);
      expect(view.takeUpdate(NOW + 2_000)?.stats.throughput.scoredPerSecond).toBe(0);
      expect(view.takeUpdate(NOW + 3_000)).toBeUndefined();
    });
  });
});
