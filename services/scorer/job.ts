import { type Job, defineJob } from '../../cep';
import { type DecisionThresholds, type RuleEngineOutput, type RulePack, ruleEngineStage } from '../../cep/rules';
import type { TopicNames } from '../shared/topics';
import { scorerInputs } from './inputs';

export interface ScoringJobOptions {
  readonly topics: TopicNames;
  readonly pack: RulePack;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly allowedLatenessMs: number;
  readonly aheadBoundMs?: number;
  readonly maxFutureSkewMs?: number;
  readonly thresholds?: Partial<DecisionThresholds>;
  /** Compute each payment's feature vector, for a model to decide (see services/scorer/decisions.ts). */
  readonly features?: boolean;
}

/** The CEP job the scorer runs: the co-partitioned inputs, event-time settings and the rule pack. */
export function scoringJob(options: ScoringJobOptions): Job<RuleEngineOutput> {
  return defineJob({
    inputs: scorerInputs(options.topics),
    outOfOrdernessMs: options.outOfOrdernessMs,
    idleTimeoutMs: options.idleTimeoutMs,
    allowedLatenessMs: options.allowedLatenessMs,
    aheadBoundMs: options.aheadBoundMs,
    maxFutureSkewMs: options.maxFutureSkewMs,
    stage: ruleEngineStage(options.pack, { thresholds: options.thresholds, features: options.features }),
  });
}
