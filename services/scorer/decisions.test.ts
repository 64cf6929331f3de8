import { type ModelVerdict, type SourceRecord, type TaskOutput } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import { alertOf, scoredTransaction } from '../fraud-store/testing/fixtures';
import { RULE_DECISIONS, decisionStep } from './decisions';
import type { ServedModel } from './model';

const origin = (offset: number): SourceRecord => ({ topic: 'payments', partition: 0, offset: String(offset), key: 'acc-1', eventTime: offset, value: null });

/** Three payments with vectors (v[0] is the model's score), an account-level alert between them, and a timer's alert. */
function output(): TaskOutput<RuleEngineOutput> {
  const payment = (id: string, score: number, ruleScore = 0): RuleEngineOutput => ({ kind: 'scored', value: scoredTransaction(id, { score: ruleScore, decision: ruleScore >= 0.8 ? 'DECLINE' : 'APPROVE' }), vector: Float32Array.of(score, 7) });
  const accountAlert: RuleEngineOutput = { kind: 'alert', value: alertOf(scoredTransaction('tx-x'), { alertId: 'pattern:1', transactionId: null, decision: 'REVIEW' }) };
  return {
    records: [payment('tx-1', 0.1, 0.9), accountAlert, payment('tx-2', 0.6), payment('tx-3', 0.95), accountAlert],
    origins: [origin(1), origin(2), origin(3), origin(4), null],
    deadLetters: [],
    lateRecords: 0,
    held: [],
    timerFailures: [],
    watermark: 0,
  };
}

/** A model whose score is the vector's first column, counting the batches it is asked to score. */
function fakeModel(thresholds?: { review: number; decline: number }): ServedModel & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    identity: { model: 'first-column@000000000000', featureVersion: 'v1-test' },
    description: { name: 'first-column', featureVersion: 'v1-test', features: ['score', 'other'], thresholds },
    async score(rows) {
      batches.push(rows.length);
      return rows.map((row): ModelVerdict => ({ score: row[0]!, explain: (exact) => ({ method: exact ? 'tree-shap' : 'path', contributions: [{ feature: 'score', value: row[0]!, contribution: 1 }] }) }));
    },
  };
}

const summary = (records: RuleEngineOutput[]) => records.map((r) => (r.kind === 'scored' ? `${r.value.transaction.transactionId} ${r.value.decision} ${r.value.score}` : `alert ${r.value.alertId} ${r.value.decision}`));

describe('the decisions on a task batch', () => {
  it('scores every payment of a batch in one model call, and puts each alert right after its payment, with its origin', async () => {
    const model = fakeModel();
    const seen: string[] = [];
    const step = decisionStep({ model: () => model, thresholds: null, onVector: (scored, vector) => seen.push(`${scored.transaction.transactionId}:${vector[0]!.toFixed(2)}`) });
    const decided = await step.decide(output());
    expect(model.batches).toEqual([3]);
    expect(seen).toEqual(['tx-1:0.10', 'tx-2:0.60', 'tx-3:0.95']);
    expect(summary(decided.records)).toEqual(['tx-1 APPROVE 0.1', 'alert pattern:1 REVIEW', 'tx-2 REVIEW 0.6', 'alert tx:tx-2 REVIEW', 'tx-3 DECLINE 0.95', 'alert tx:tx-3 DECLINE', 'alert pattern:1 REVIEW']);
    expect(decided.origins.map((o) => o?.offset ?? null)).toEqual(['1', '2', '3', '3', '4', '4', null]);
    const scored = decided.records.filter((r) => r.kind === 'scored').map((r) => r.value.model);
    expect(scored.map((m) => [m?.model, m?.ruleScore, m?.method])).toEqual([
      ['first-column@000000000000', 0.9, 'path'],
      ['first-column@000000000000', 0, 'tree-shap'],
      ['first-column@000000000000', 0, 'tree-shap'],
    ]);
  });

  it("decides with the thresholds given to the scorer, else the model's own, else the defaults", async () => {
    const decisionsOf = async (thresholds: { review: number; decline: number } | null, own?: { review: number; decline: number }) =>
      summary((await decisionStep({ model: () => fakeModel(own), thresholds }).decide(output())).records).filter((line) => line.startsWith('tx-'));
    expect(await decisionsOf(null)).toEqual(['tx-1 APPROVE 0.1', 'tx-2 REVIEW 0.6', 'tx-3 DECLINE 0.95']);
    expect(await decisionsOf(null, { review: 0.05, decline: 0.5 })).toEqual(['tx-1 REVIEW 0.1', 'tx-2 DECLINE 0.6', 'tx-3 DECLINE 0.95']);
    expect(await decisionsOf({ review: 0.7, decline: 0.99 }, { review: 0.05, decline: 0.5 })).toEqual(['tx-1 APPROVE 0.1', 'tx-2 APPROVE 0.6', 'tx-3 REVIEW 0.95']);
  });

  it("lets the rules decide without a model: their score, their alerts", async () => {
    const decided = await RULE_DECISIONS.decide(output());
    expect(summary(decided.records)).toEqual(['tx-1 DECLINE 0.9', 'alert tx:tx-1 DECLINE', 'alert pattern:1 REVIEW', 'tx-2 APPROVE 0', 'tx-3 APPROVE 0', 'alert pattern:1 REVIEW']);
  });

  it('passes a batch without payments through untouched', async () => {
    const model = fakeModel();
    const batch = { ...output(), records: [output().records[1]!], origins: [origin(2)] };
    expect(await decisionStep({ model: () => model, thresholds: null }).decide(batch)).toBe(batch);
    expect(model.batches).toEqual([]);
  });
});
