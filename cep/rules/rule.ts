import type { Severity, Transaction } from '../../schemas/types';
import { CepError, CepErrorCode } from '../errors';
import type { TransactionEvent } from '../job/types';
import { type MatcherFactory, matcherFactory } from '../nfa';
import type { Condition, ConditionContext, Pattern, StageDefinition } from '../pattern';
import type { PatternEvent, TransactionPatternEvent } from './pattern-event';

/**
 * The key a rule's pattern runs on: `account` sees every event of the account (transactions,
 * auth events, profile changes); `card` runs one pattern per card over that card's transactions.
 */
export type RuleKey = 'account' | 'card';

/** One evidence value; the RuleHit renders it as text. */
export type EvidenceValue = string | number | boolean;
/** Named values a reviewer needs to see why a rule fired; rendered as text in the RuleHit. */
export type Evidence = Readonly<Record<string, EvidenceValue>>;

/** Events accepted by each pattern stage, stages in match order; empty for a rule without a pattern. */
export type RuleMatch = Readonly<Record<string, readonly PatternEvent[]>>;

/** The transactions a stage of the match accepted, oldest first. */
export function transactionsIn(match: RuleMatch, stage: string): TransactionPatternEvent[] {
  return (match[stage] ?? []).filter((event): event is TransactionPatternEvent => event.kind === 'transaction');
}

/** What a rule's `explain` gets to build the reviewer's one-line reason from. */
export interface HitDetails {
  /** What `when` returned (empty without a `when`), after the engine's `matchedEvents` and `matchSpanMs` when there is a match. */
  readonly evidence: Evidence;
  /** The pattern's or pair's events by stage; empty for a rule without a pattern. */
  readonly match: RuleMatch;
  /** The scored transaction; null for an account-level hit completed by another event or a timer. */
  readonly transaction: Transaction | null;
}

/**
 * The feature condition: evidence when it holds, null when it does not. For a rule with a pattern
 * or pairs it is asked only when a match completes on the transaction being scored, and sees that match.
 */
export type WhenCondition = (tx: TransactionEvent, match: RuleMatch) => Evidence | null;

/**
 * What a rule author writes and gives to {@link defineRule}. A rule needs a `when`, a `pattern` or
 * `pairs`, or a pattern or pairs together with a `when`.
 */
export interface RuleSpec {
  /** Kebab case; also the rule module's file name in a rule pack. */
  readonly id: string;
  /** One sentence, not empty, shown with the rule's hits. */
  readonly description: string;
  /** Shown to the reviewer; it does not change the score. */
  readonly severity: Severity;
  readonly key: RuleKey;
  /** Contribution to the score when the rule fires, in (0, 1]. */
  readonly score: number;
  /** The feature condition; alone, it is asked for every payment, late ones included. */
  readonly when?: WhenCondition;
  /** Must be bounded by `within`: a fraud rule pack may not hold state forever. */
  readonly pattern?: Pattern<PatternEvent>;
  /** Consecutive pairs of events, instead of a pattern; see `RulePairs`. */
  readonly pairs?: RulePairs;
  /** The reviewer's one-line reason, built from the evidence; must be deterministic text. */
  readonly explain: (hit: HitDetails) => string;
}

/** A rule's pattern, compiled once by {@link defineRule}. */
export interface RulePattern {
  /** Every key's matcher of the pattern: a dedicated one where the shape has it, else the NFA. */
  readonly matchers: MatcherFactory<PatternEvent>;
  /** The pattern's `within`, in ms: no partial match is kept longer. */
  readonly windowMs: number;
  /** Whether the event could start a run: only then is a matcher worth creating for a key. */
  mayStart(event: PatternEvent): boolean;
}

/**
 * Each event `where` accepts pairs with the key's previous accepted event, if that one is less
 * than `withinMs` older, as the match `{ [first]: [previous], [second]: [event] }`. The same
 * matches as `Pattern.begin(first).where(w).followedBy(second).where(w).within(withinMs)`, but
 * the key keeps one event instead of an NFA: `where` sees no partial match, so each accepted
 * event both ends its predecessor's run and starts its own.
 */
export interface RulePairs {
  readonly first: string;
  readonly second: string;
  readonly where: (event: PatternEvent) => boolean;
  readonly withinMs: number;
}

/**
 * A validated rule, made only by {@link defineRule} (frozen; {@link isRule} tells it apart). Fields are
 * as in {@link RuleSpec}, with absent parts null and the pattern compiled.
 */
export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly key: RuleKey;
  readonly score: number;
  readonly when: WhenCondition | null;
  readonly pattern: RulePattern | null;
  readonly pairs: RulePairs | null;
  readonly explain: (hit: HitDetails) => string;
}

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const KEYS: ReadonlySet<string> = new Set<RuleKey>(['account', 'card']);
const defined = new WeakSet<Rule>();

/** The rule-level MALFORMED_PATTERN error: the message and context name the rule. */
export function malformedRule(id: unknown, message: string, cause?: unknown): CepError {
  return new CepError(CepErrorCode.MalformedPattern, `Rule '${String(id)}': ${message}`, { cause, context: { ruleId: id } });
}

/** Validates a rule and compiles its pattern once; a bad rule throws MALFORMED_PATTERN naming it. */
export function defineRule(spec: RuleSpec): Rule {
  const { id } = spec;
  if (typeof id !== 'string' || !RULE_ID.test(id)) throw malformedRule(id, 'the id must be kebab case (a-z, 0-9, single dashes)');
  if (typeof spec.description !== 'string' || spec.description.trim() === '') throw malformedRule(id, 'needs a description');
  if (!SEVERITIES.has(spec.severity)) throw malformedRule(id, `unknown severity '${String(spec.severity)}'`);
  if (!KEYS.has(spec.key)) throw malformedRule(id, `key must be 'account' or 'card', got '${String(spec.key)}'`);
  if (typeof spec.score !== 'number' || !(spec.score > 0 && spec.score <= 1)) throw malformedRule(id, `score must be in (0, 1], got ${spec.score}`);
  if (spec.when === undefined && spec.pattern === undefined && spec.pairs === undefined) throw malformedRule(id, 'needs a when condition, a pattern, or both');
  if (spec.pattern !== undefined && spec.pairs !== undefined) throw malformedRule(id, 'has both a pattern and pairs: pick one');
  if (spec.pairs !== undefined) checkPairs(id, spec.pairs);
  if (spec.when !== undefined && typeof spec.when !== 'function') throw malformedRule(id, 'when must be a function');
  if (typeof spec.explain !== 'function') throw malformedRule(id, 'needs an explain function');
  const rule: Rule = {
    id,
    description: spec.description,
    severity: spec.severity,
    key: spec.key,
    score: spec.score,
    when: spec.when ?? null,
    pattern: spec.pattern === undefined ? null : compileRulePattern(id, spec.pattern),
    pairs: spec.pairs === undefined ? null : Object.freeze({ ...spec.pairs }),
    explain: spec.explain,
  };
  defined.add(Object.freeze(rule));
  return rule;
}

function checkPairs(id: string, pairs: RulePairs): void {
  const { first, second, where, withinMs } = pairs;
  if (typeof first !== 'string' || typeof second !== 'string' || first === '' || second === '' || first === second) {
    throw malformedRule(id, 'pairs need two different stage names, first and second');
  }
  if (typeof where !== 'function') throw malformedRule(id, 'pairs need a where function');
  if (!Number.isSafeInteger(withinMs) || withinMs <= 0) throw malformedRule(id, `pairs need withinMs, a positive integer: got ${String(withinMs)}`);
}

/** Whether `value` is a rule made by {@link defineRule}, not merely an object of the same shape. */
export function isRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && defined.has(value as Rule);
}

function compileRulePattern(id: string, pattern: Pattern<PatternEvent>): RulePattern {
  let matchers: MatcherFactory<PatternEvent>;
  let definition;
  try {
    definition = pattern.definition();
    matchers = matcherFactory(definition);
  } catch (cause) {
    throw malformedRule(id, `malformed pattern: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  if (definition.withinMs === null) throw malformedRule(id, 'the pattern needs within(): unbounded partial matches would hold state forever');
  const starters = startConditions(definition.stages);
  return { matchers, windowMs: definition.withinMs, mayStart: starters === null ? () => true : (event) => starts(starters, event) };
}

/**
 * The conditions one of which a run's first event meets, or null when any event may start one. A
 * run starts on the first stage, or on a later one when every stage before it may take no event
 * (an optional stage, or a group whose stages all may); a group starts on its own stages.
 */
function startConditions(stages: readonly StageDefinition<PatternEvent>[]): Condition<PatternEvent>[] | null {
  const conditions: Condition<PatternEvent>[] = [];
  for (const stage of stages) {
    const first = stage.group === null ? (stage.condition === null ? null : [stage.condition]) : startConditions(stage.group);
    if (first === null) return null;
    conditions.push(...first);
    if (!mayTakeNoEvent(stage)) break;
  }
  return conditions;
}

function mayTakeNoEvent(stage: StageDefinition<PatternEvent>): boolean {
  return stage.quantifier.optional || (stage.group !== null && stage.group.every(mayTakeNoEvent));
}

/** Conditions of a run's first event see no earlier events; one context serves every check. */
const startContext: ConditionContext<PatternEvent> & { timestamp: number } = { eventsFor: () => [], timestamp: 0 };

function starts(conditions: readonly Condition<PatternEvent>[], event: PatternEvent): boolean {
  startContext.timestamp = event.time;
  for (const condition of conditions) if (condition(event, startContext)) return true;
  return false;
}
