// The decisions on payments the rule stage scored with a feature vector: the model's, when one is
// served, batched per transaction (one onnxruntime call for all the payments it carries), or the
// rules' own. It runs where a transaction is encoded, after its state changes were taken, so that the
// wait for the model never splits a step's state from its outputs.
import { DEFAULT_THRESHOLDS, type DecisionThresholds, type SourceRecord, type TaskOutput, decidePayment } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { ScoredTransaction } from '../../schemas';
import type { ServedModel } from './model/served-model';

export interface DecidedOutput {
  readonly records: RuleEngineOutput[];
  readonly origins: (SourceRecord | null)[];
}

export interface DecisionStep {
  decide(output: TaskOutput<RuleEngineOutput>): Promise<DecidedOutput>;
}

export interface DecisionOptions {
  /** The model that decides; null: the rules do. */
  readonly model: () => ServedModel | null;
  /** Thresholds given to the scorer; without them a model's own (chosen by backtest) apply, then the defaults. */
  readonly thresholds: DecisionThresholds | null;
  /** Sees every payment with its vector before the decision: what `npm run features` exports. */
  readonly onVector?: (scored: ScoredTransaction, vector: Float32Array) => void;
}

/** The rules decide, as the stage does without features. */
export const RULE_DECISIONS: DecisionStep = decisionStep({ model: () => null, thresholds: null });

export function decisionStep({ model: current, thresholds, onVector }: DecisionOptions): DecisionStep {
  return {
    async decide(output) {
      const rows: Float32Array[] = [];
      for (const record of output.records) {
        if (record.kind !== 'scored' || record.vector === undefined) continue;
        rows.push(record.vector);
        onVector?.(record.value, record.vector);
      }
      if (rows.length === 0) return output;
      // The model of this transaction: one, even if another is deployed while it waits.
      const model = current();
      const verdicts = model === null ? null : await model.score(rows);
      const records: RuleEngineOutput[] = [];
      const origins: (SourceRecord | null)[] = [];
      let row = 0;
      output.records.forEach((record, i) => {
        const origin = output.origins[i] ?? null;
        if (record.kind !== 'scored' || record.vector === undefined) {
          records.push(record);
          origins.push(origin);
          return;
        }
        const verdict = verdicts === null ? null : { identity: model!.identity, verdict: verdicts[row]! };
        row++;
        const { scored, alert } = decidePayment(record.value, verdict, thresholds ?? model?.description.thresholds ?? DEFAULT_THRESHOLDS);
        records.push({ kind: 'scored', value: scored });
        origins.push(origin);
        if (alert !== null) {
          records.push({ kind: 'alert', value: alert });
          origins.push(origin);
        }
      });
      return { records, origins };
    },
  };
}
