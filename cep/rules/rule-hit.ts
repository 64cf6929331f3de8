import type { RuleHit, StageMatch, Transaction } from '../../schemas/types';
import type { Evidence, Rule, RuleMatch } from './rule';

const NO_EVIDENCE: Evidence = Object.freeze({});

/** Facts every pattern hit carries, before the rule's own evidence. */
function matchEvidence(match: RuleMatch): Evidence {
  let first: number | null = null;
  let last = 0;
  let events = 0;
  for (const stage in match) {
    for (const event of match[stage]!) {
      first ??= event.time;
      last = event.time;
      events++;
    }
  }
  return first === null ? NO_EVIDENCE : { matchedEvents: events, matchSpanMs: last - first };
}

function stagesOf(match: RuleMatch): StageMatch[] {
  return Object.keys(match).map((stage) => ({
    stage,
    eventIds: match[stage]!.map((event) => event.id),
    eventTimes: match[stage]!.map((event) => event.time),
  }));
}

/** A fired rule as the reviewer sees it: contribution, explanation, evidence as text, events by stage. */
export function ruleHit(rule: Rule, ruleEvidence: Evidence, match: RuleMatch, transaction: Transaction | null): RuleHit {
  const fromMatch = matchEvidence(match);
  const evidence = fromMatch === NO_EVIDENCE ? ruleEvidence : { ...fromMatch, ...ruleEvidence };
  const text: Record<string, string> = {};
  for (const name of Object.keys(evidence)) text[name] = String(evidence[name]);
  return {
    ruleId: rule.id,
    severity: rule.severity,
    contribution: rule.score,
    explanation: rule.explain({ evidence, match, transaction }),
    evidence: text,
    stages: stagesOf(match),
  };
}
