import type { Alert, RuleHit, ScoredTransaction } from '../../schemas/types';
import type { TransactionPatternEvent } from './pattern-event';
import type { RuleMatch } from './rule';
import { combineScore, decide, type DecisionThresholds } from './scoring';

/** Derived from the transaction id alone, so a replay yields the same alert. */
export function transactionAlertId(transactionId: string): string {
  return `tx:${transactionId}`;
}

/** A case for a transaction decided REVIEW or DECLINE. */
export function transactionAlert(scored: ScoredTransaction): Alert {
  const tx = scored.transaction;
  return {
    alertId: transactionAlertId(tx.transactionId),
    accountId: tx.accountId,
    transactionId: tx.transactionId,
    cardId: tx.cardId,
    amountMinor: tx.amountMinor,
    currency: tx.currency,
    decision: scored.decision,
    score: scored.score,
    ruleHits: scored.ruleHits,
    summary: `${scored.decision} at score ${scored.score.toFixed(2)}: ${reasonsOf(scored).join(', ')}`,
    eventTime: tx.eventTime,
    model: scored.model,
  };
}

/** What a reviewer reads first: the rules that fired, then, when a model decided, the features that pushed its score up most. */
function reasonsOf(scored: ScoredTransaction): string[] {
  const rules = scored.ruleHits.map((hit) => hit.ruleId);
  if (scored.model === null) return rules;
  const features = scored.model.contributions.filter((c) => c.contribution > 0 && !c.feature.startsWith('rule:')).slice(0, 3);
  return [...rules, ...features.map((c) => c.feature)];
}

/**
 * A case for a pattern that completed on an auth event, a profile change or a window closing:
 * there is no transaction to score, so the rule alone decides. The id digests the rule and the
 * matched events, so a replay yields the same alert and different matches different ones.
 */
export function accountAlert(accountId: string, hit: RuleHit, match: RuleMatch, thresholds: DecisionThresholds, eventTime: number): Alert {
  const ids: string[] = [];
  let lastTransaction: TransactionPatternEvent | null = null;
  for (const stage in match) {
    for (const event of match[stage]!) {
      ids.push(event.id);
      if (event.kind === 'transaction') lastTransaction = event;
    }
  }
  const score = combineScore([hit]);
  const tx = lastTransaction?.tx ?? null;
  return {
    alertId: `${hit.ruleId}:${digest(ids.join('\u0000'))}`,
    accountId,
    transactionId: tx?.transactionId ?? null,
    cardId: tx?.cardId ?? null,
    amountMinor: tx?.amountMinor ?? null,
    currency: tx?.currency ?? null,
    decision: decide(score, thresholds),
    score,
    ruleHits: [hit],
    summary: `${hit.ruleId}: ${hit.explanation}`,
    eventTime,
    model: null,
  };
}

/** 64 bits of FNV-1a (two 32-bit lanes, the second with a different offset and multiplier) as hex: stable across runs and platforms. */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
