import type { Alert, FeatureContribution, ScoredTransaction } from '../../schemas/types';
import { transactionAlert } from '../rules/alerts';
import { type DecisionThresholds, decide } from '../rules/scoring';

/** Which model decided, as every scored record names it. */
export interface ModelIdentity {
  /** The model's name and the first 12 hex digits of its file's SHA-256. */
  readonly model: string;
  readonly featureVersion: string;
}

/** The features' contributions to a verdict, and how they were computed (ModelScore.method). */
export interface Explanation {
  readonly method: string;
  /** The largest contributions, largest first. */
  readonly contributions: readonly FeatureContribution[];
}

/** The model's verdict on one payment. */
export interface ModelVerdict {
  /** Fraud probability in [0, 1]. */
  readonly score: number;
  /**
   * Its explanation, `exact` for a payment an analyst will read (decided REVIEW or DECLINE): exact
   * attributions can cost far more than the score, so approved payments may get a cheaper kind.
   */
  explain(exact: boolean): Explanation;
}

/** The outcome of {@link decidePayment}. */
export interface Decided {
  /** The record as finally decided: the model's score and decision when it gave a valid one. */
  readonly scored: ScoredTransaction;
  /** The fraud team's alert for a REVIEW or DECLINE; null for an approved payment. */
  readonly alert: Alert | null;
}

/** Scores are rounded so that float noise never flips a threshold, as the rules' are. */
const SCORE_DECIMALS = 1e6;

/** A payment the model gave no probability (NaN, or outside [0, 1]): the rules decided it instead. */
export const MODEL_SCORE_INVALID = 'model-score-invalid';

/**
 * The decision on a payment the rule stage scored with a feature vector. With a model, the model's
 * score decides and the rules stay as its features and as the explanation beside it; without one,
 * the rules' score decides as it always did. Either way a REVIEW or DECLINE gets its alert here.
 */
export function decidePayment(scored: ScoredTransaction, verdict: { readonly identity: ModelIdentity; readonly verdict: ModelVerdict } | null, thresholds: DecisionThresholds): Decided {
  let final = scored;
  if (verdict !== null && !(verdict.verdict.score >= 0 && verdict.verdict.score <= 1)) {
    final = { ...scored, signals: [...scored.signals, MODEL_SCORE_INVALID] };
  } else if (verdict !== null) {
    const score = Math.round(verdict.verdict.score * SCORE_DECIMALS) / SCORE_DECIMALS;
    const decision = decide(score, thresholds);
    const { method, contributions } = verdict.verdict.explain(decision !== 'APPROVE');
    final = { ...scored, score, decision, model: { ...verdict.identity, score, ruleScore: scored.score, method, contributions: [...contributions] } };
  }
  return { scored: final, alert: final.decision === 'APPROVE' ? null : transactionAlert(final) };
}
