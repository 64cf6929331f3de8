import type { ScoredTransaction } from '../../schemas/types';
import { transaction } from '../testing/fixtures';
import { MODEL_SCORE_INVALID, type ModelVerdict, decidePayment } from './decide';

const THRESHOLDS = { review: 0.5, decline: 0.8 };
const identity = { model: 'm@0123456789ab', featureVersion: 'v1-00000000' };

function scored(ruleScore: number): ScoredTransaction {
  return {
    transaction: transaction({ transactionId: 'tx-9', amountMinor: 4_200 }),
    profile: null,
    features: {
      account: { count: 1, sumMinor: 4_200, maxMinor: 4_200, distinctMerchants: 1, distinctCountries: 1, declines: 0, msSincePrevious: null },
      card: { count: 1, sumMinor: 4_200, maxMinor: 4_200, distinctMerchants: 1, distinctCountries: 1, declines: 0, msSincePrevious: null },
      session: { events: 1, sumMinor: 4_200, distinctMerchants: 1, distinctDevices: 1, startedAt: 0 },
      extra: {},
    },
    ruleHits: ruleScore > 0 ? [{ ruleId: 'velocity-burst', severity: 'HIGH', contribution: ruleScore, explanation: 'fast', evidence: {}, stages: [] }] : [],
    signals: [],
    score: ruleScore,
    decision: ruleScore >= 0.5 ? 'REVIEW' : 'APPROVE',
    model: null,
    late: false,
    watermark: 0,
  };
}

/** A verdict that says which kind of explanation it was asked for. */
function verdict(score: number): ModelVerdict & { asked: boolean[] } {
  const asked: boolean[] = [];
  return {
    score,
    asked,
    explain(exact) {
      asked.push(exact);
      return {
        method: exact ? 'tree-shap' : 'path',
        contributions: [
          { feature: 'rule:velocity-burst', value: 1, contribution: 2.5 },
          { feature: 'account_60s_count', value: 7, contribution: 1.25 },
          { feature: 'amount_log', value: 8.3, contribution: -0.5 },
        ],
      };
    },
  };
}

describe('the decision on a payment', () => {
  it("is the model's when a model scores it: its score against the thresholds, the rules' score kept beside it", () => {
    const v = verdict(0.8123456789);
    const { scored: decided, alert } = decidePayment(scored(0.1), { identity, verdict: v }, THRESHOLDS);
    expect(decided).toMatchObject({ score: 0.812346, decision: 'DECLINE', model: { ...identity, score: 0.812346, ruleScore: 0.1, method: 'tree-shap' } });
    expect(v.asked).toEqual([true]);
    expect(alert).toMatchObject({ alertId: 'tx:tx-9', decision: 'DECLINE', score: 0.812346, model: decided.model });
    // The reviewer reads the rules first, then the features that pushed the score up, never those that pulled it down.
    expect(alert!.summary).toBe('DECLINE at score 0.81: velocity-burst, account_60s_count');
  });

  it('approves below the review threshold without an alert, with the cheaper explanation', () => {
    const v = verdict(0.2);
    const { scored: decided, alert } = decidePayment(scored(0.9), { identity, verdict: v }, THRESHOLDS);
    expect([decided.decision, decided.score, decided.model?.ruleScore, decided.model?.method, alert]).toEqual(['APPROVE', 0.2, 0.9, 'path', null]);
    expect(v.asked).toEqual([false]);
  });

  it("is the rules' without a model, with the alert the rule stage would have made", () => {
    const { scored: decided, alert } = decidePayment(scored(0.6), null, THRESHOLDS);
    expect([decided.decision, decided.score, decided.model]).toEqual(['REVIEW', 0.6, null]);
    expect(alert).toMatchObject({ decision: 'REVIEW', summary: 'REVIEW at score 0.60: velocity-burst', model: null });
  });

  it.each([Number.NaN, -0.1, 1.5, Number.POSITIVE_INFINITY])("falls back to the rules, and says so, when the model's score is %p", (bad) => {
    const { scored: decided, alert } = decidePayment(scored(0.6), { identity, verdict: verdict(bad) }, THRESHOLDS);
    expect([decided.decision, decided.score, decided.model, decided.signals]).toEqual(['REVIEW', 0.6, null, [MODEL_SCORE_INVALID]]);
    expect(alert).not.toBeNull();
  });
});
