export { transactionAlertId } from './alerts';
export { expectRule, RuleTestRun, type RuleTestInput } from './expect-rule';
export { formatDuration, formatMoney } from './format';
export { distanceKm } from './geo';
export {
  type AuthPatternEvent,
  type ContactFingerprint,
  isAuth,
  isCredentialChange,
  isProfileChange,
  isTransaction,
  type PatternEvent,
  type ProfileChangePatternEvent,
  type TransactionPatternEvent,
} from './pattern-event';
export type { PatternMetrics } from './pattern-runs';
export {
  defineRule,
  type Evidence,
  type EvidenceValue,
  type HitDetails,
  isRule,
  type Rule,
  type RuleKey,
  type RuleMatch,
  type RulePattern,
  type RuleSpec,
  transactionsIn,
  type WhenCondition,
} from './rule';
export {
  MS_SINCE_PREVIOUS_TRANSACTION,
  RuleEngineStage,
  type RuleEngineOptions,
  type RuleEngineOutput,
  RuleSignal,
  ruleEngineStage,
} from './rule-engine-stage';
export { loadRulePack, rulePack, type RulePack } from './rule-pack';
export type { RuleEngineState } from './rule-state';
export { combineScore, decide, DEFAULT_THRESHOLDS, type DecisionThresholds, resolveThresholds } from './scoring';
