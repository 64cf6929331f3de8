import { type Job, defineJob } from '../../cep';
import { type DecisionThresholds, type RuleEngineOutput, type RulePack, ruleEngineStage } from '../../cep/rules';
import { SCORER_INPUTS } from './inputs';

export interface ScoringJobOptions {
  readonly pack: RulePack;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly allowedLatenessMs: number;
  readonly thresholds?: Partial<DecisionThresholds>;
}

/** The CEP job the scorer runs: the co-partitioned inputs, event-time settings and the rule pack. */
export function scoringJob(options: ScoringJobOptions): Job<RuleEngineOutput> {
  return defineJob({
    inputs: SCORER_INPUTS,
    outOfOrdernessMs: options.outOfOrdernessMs,
    idleTimeoutMs: options.idleTimeoutMs,
    allowedLatenessMs: options.allowedLatenessMs,
    stage: ruleEngineStage(options.pack, { thresholds: options.thresholds }),
  });
}
