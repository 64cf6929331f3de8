import { BacktestMetrics, type Decided, type Label, chooseThreshold } from './metrics';

const T = Date.UTC(2026, 0, 5);

function decided(transactionId: string, score: number, amountMinor: number, ruleIds: string[] = [], eventTime = T): Decided {
  const decision = score >= 0.8 ? 'DECLINE' : score >= 0.5 ? 'REVIEW' : 'APPROVE';
  return { transactionId, eventTime, amountMinor, currency: 'EUR', score, decision, ruleIds };
}

const label = (eventId: string, instanceId: string, scenario: string, fraud = true, accountId = `acct-${instanceId}`): [string, Label] => [eventId, { eventId, accountId, instanceId, scenario, fraud, eventTime: T }];

describe('backtest figures on a history small enough to count by hand', () => {
  // Instance A (card testing) is caught on its second payment; instance B (takeover) is missed.
  // Legitimate: l2 is a false review, l3 a false decline; n1 is a near-miss label, legitimate too.
  const labels = new Map([label('a1', 'A', 'card-testing'), label('a2', 'A', 'card-testing'), label('b1', 'B', 'account-takeover'), label('n1', 'N', 'card-testing', false)]);
  const metrics = new BacktestMetrics(labels, { review: 0.5, decline: 0.8 }, { from: T, to: T + 1 });
  for (const payment of [
    decided('a1', 0.2, 100),
    decided('a2', 0.6, 5_000, ['velocity']),
    decided('b1', 0.3, 20_000, ['over-limit']),
    decided('l1', 0, 700),
    decided('l2', 0.55, 800),
    decided('l3', 0.9, 3_000, ['velocity', 'over-limit']),
    decided('n1', 0.1, 900),
    decided('warm-up', 0.95, 1, [], T - 1),
  ]) {
    metrics.add(payment);
  }
  const figures = metrics.figures();

  it('counts payments, instances and amounts', () => {
    expect(figures).toMatchObject({ payments: 7, fraudPayments: 3, legitimatePayments: 4, instances: 2, instancesByBehaviour: { 'account-takeover': 1, 'card-testing': 1 }, fraudEuroCents: 25_100 });
    expect(figures.byCurrency).toEqual({ EUR: { fraudMinor: 25_100, caughtFraudMinor: 5_000, falseDeclineMinor: 3_000 } });
  });

  it('measures the configured thresholds', () => {
    expect(figures.atThresholds).toEqual({
      thresholds: { review: 0.5, decline: 0.8 },
      instanceRecall: 0.5,
      recallByBehaviour: { 'account-takeover': 0, 'card-testing': 1 },
      amountRecall: 5_000 / 25_100,
      falseAlertRate: 0.5,
      falseDeclines: 1,
      falseDeclineEuroCents: 3_000,
      alertsPerThousandPayments: (3 / 7) * 1_000,
    });
    expect([...figures.alerted].sort()).toEqual(['a2', 'l2', 'l3']);
  });

  it('gives each rule its hits, precision and recall by behaviour', () => {
    expect(figures.rules).toEqual([
      { ruleId: 'over-limit', hits: 2, fraudHits: 1, precision: 0.5, recallByBehaviour: { 'account-takeover': 1, 'card-testing': 0 }, hitsPerThousandPayments: (2 / 7) * 1_000 },
      { ruleId: 'velocity', hits: 2, fraudHits: 1, precision: 0.5, recallByBehaviour: { 'account-takeover': 0, 'card-testing': 1 }, hitsPerThousandPayments: (2 / 7) * 1_000 },
    ]);
  });

  it('sweeps the threshold: each point counts what scores at least that much', () => {
    const at = (threshold: number) => figures.curve.find((p) => p.threshold === threshold)!;
    expect(at(0.5)).toEqual({ threshold: 0.5, instanceRecall: 0.5, paymentRecall: 1 / 3, precision: 1 / 3, falseAlertRate: 0.5, alertsPerThousandPayments: (3 / 7) * 1_000, amountRecall: 5_000 / 25_100 });
    expect(at(0.3)).toMatchObject({ instanceRecall: 1, paymentRecall: 2 / 3, precision: 0.5, falseAlertRate: 0.5, amountRecall: 25_000 / 25_100 });
    expect(at(0)).toMatchObject({ instanceRecall: 1, paymentRecall: 1, precision: 3 / 7, falseAlertRate: 1 });
    expect(at(1)).toMatchObject({ instanceRecall: 0, paymentRecall: 0, precision: null, falseAlertRate: 0 });
    expect(figures.curve.map((p) => p.threshold)).toEqual([...figures.curve.map((p) => p.threshold)].sort((a, b) => a - b));
  });

  it('bins scores by label', () => {
    const bins = (scores: number[]) => scores.reduce((h, s) => h.map((n, i) => (i === Math.min(19, Math.floor(s * 20)) ? n + 1 : n)), new Array<number>(20).fill(0));
    expect(figures.histogram).toEqual({ fraud: bins([0.2, 0.6, 0.3]), legitimate: bins([0, 0.55, 0.9, 0.1]) });
  });

  it('counts an account-level alert during an instance (or up to an hour before it) as catching it', () => {
    const logins = new Map([label('login-9', 'L', 'failed-logins'), label('p1', 'P', 'takeover'), label('q1', 'Q', 'mule')]);
    const withAlerts = new BacktestMetrics(logins, { review: 0.5, decline: 0.8 });
    withAlerts.add(decided('p1', 0.1, 100));
    withAlerts.add(decided('q1', 0.1, 100));
    withAlerts.addAccountAlert({ accountId: 'acct-L', eventTime: T, score: 0.6 });
    withAlerts.addAccountAlert({ accountId: 'acct-P', eventTime: T - 30 * 60_000, score: 0.9 });
    withAlerts.addAccountAlert({ accountId: 'acct-Q', eventTime: T - 2 * 3_600_000, score: 0.9 });
    withAlerts.addAccountAlert({ accountId: 'acct-none', eventTime: T, score: 0.9 });
    expect(withAlerts.figures()).toMatchObject({
      accountAlerts: 4,
      accountAlertsOnFraud: 2,
      atThresholds: { instanceRecall: 2 / 3, recallByBehaviour: { 'failed-logins': 1, takeover: 1, mule: 0 } },
    });
  });

  it('counts an instance none of whose payments was decided as missed', () => {
    const lost = new BacktestMetrics(new Map([label('x1', 'X', 'mule')]), { review: 0.5, decline: 0.8 });
    expect(lost.figures()).toMatchObject({ instances: 1, atThresholds: { instanceRecall: 0 } });
  });

  it("resolves a model's continuous scores at low false-alert rates: the chosen threshold flags as many legitimate payments as the rate allows, no more", () => {
    // 20,000 legitimate payments with distinct scores (a model's), and 40 fraud instances spread over the top.
    const legitimateCount = 20_000;
    const labels = new Map(Array.from({ length: 40 }, (_, i) => label(`f${i}`, `F${i}`, 'mule')));
    const model = new BacktestMetrics(labels, { review: 0.5, decline: 0.8 });
    for (let i = 0; i < legitimateCount; i++) model.add(decided(`l${i}`, Math.round((i / legitimateCount) * 0.999 * 1e6) / 1e6, 100));
    for (let i = 0; i < 40; i++) model.add(decided(`f${i}`, Math.round((0.99 + i / 4_000) * 1e6) / 1e6, 100));
    const { curve } = model.figures();
    for (const rate of [0.01, 0.005, 0.001, 0.0001]) {
      const point = chooseThreshold(curve, { falseAlertRate: rate })!;
      expect([rate, point.falseAlertRate]).toEqual([rate, Math.floor(legitimateCount * rate) / legitimateCount]);
    }
  });
});
