import type { Decision, RuleHit } from '../../schemas/types';
import { CepError, CepErrorCode } from '../errors';

/** Score at or above which a transaction is reviewed, and at or above which it is declined. */
export interface DecisionThresholds {
  readonly review: number;
  readonly decline: number;
}

/** The thresholds used when none are configured: review from 0.5, decline from 0.8. */
export const DEFAULT_THRESHOLDS: DecisionThresholds = Object.freeze({ review: 0.5, decline: 0.8 });

/** Scores are rounded to this many decimals, so that float noise never flips a threshold. */
const SCORE_DECIMALS = 1e6;

/**
 * Noisy-OR of the hits' contributions, 1 - Π(1 - c): independent pieces of evidence reinforce
 * each other, and the score stays in [0, 1] however many rules fire. Hits come in rule-pack
 * order, so the float operations, and the result, are the same on every run.
 */
export function combineScore(hits: readonly RuleHit[]): number {
  let clear = 1;
  for (const hit of hits) clear *= 1 - hit.contribution;
  return Math.round((1 - clear) * SCORE_DECIMALS) / SCORE_DECIMALS;
}

/** The decision for a score in [0, 1]: DECLINE at or above `decline`, REVIEW at or above `review`, else APPROVE. */
export function decide(score: number, thresholds: DecisionThresholds): Decision {
  if (score >= thresholds.decline) return 'DECLINE';
  if (score >= thresholds.review) return 'REVIEW';
  return 'APPROVE';
}

/** Applies defaults and checks 0 < review <= decline <= 1 (throws INVALID_JOB_CONFIG). */
export function resolveThresholds(thresholds: Partial<DecisionThresholds> = {}): DecisionThresholds {
  const review = thresholds.review ?? DEFAULT_THRESHOLDS.review;
  const decline = thresholds.decline ?? DEFAULT_THRESHOLDS.decline;
  if (!(review > 0 && review <= decline && decline <= 1)) {
    throw new CepError(CepErrorCode.InvalidJobConfig, `decision thresholds need 0 < review <= decline <= 1, got review ${review}, decline ${decline}`);
  }
  return { review, decline };
}
