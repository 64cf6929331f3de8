import type { Matcher, NfaOutput } from '../nfa';
import type { PatternEvent } from './pattern-event';
import type { Rule, RuleMatch, RulePairs, RulePattern } from './rule';
import type { RuleEngineState } from './rule-state';

export type PatternRule = Rule & { readonly pattern: RulePattern };
export type PairRule = Rule & { readonly pairs: RulePairs };

/** A pattern rule's matcher for one account (or one card of it). */
export interface MatcherRun {
  readonly rule: PatternRule;
  /** The card a card rule runs for; null for an account rule. */
  readonly cardId: string | null;
  readonly matcher: Matcher<PatternEvent>;
  /** The matcher's partial matches after its last step, kept to count deltas with one read per step. */
  partialMatches: number;
}

/** A pairs rule's newest accepted event for one account (or card): one partial match. */
export interface PairRun {
  readonly rule: PairRule;
  readonly cardId: string | null;
  last: PatternEvent;
}

export type PatternRun = MatcherRun | PairRun;

/** A new run for a rule, or one restored from a snapshot. */
export function matcherRun(rule: PatternRule, cardId: string | null, matcher: Matcher<PatternEvent>): MatcherRun {
  return { rule, cardId, matcher, partialMatches: matcher.partialMatches };
}

/**
 * Live runs of one account, at most one per rule (per card for a card rule), oldest first: the
 * order timers advance them in. A few at most, so an array searched in place beats a map, which
 * would also cost every account's state a hash table.
 */
export type PatternRuns = PatternRun[];

export interface CompletedMatch {
  readonly rule: Rule;
  readonly match: RuleMatch;
  /** The match ends with the event being processed (not released later by a skip strategy or window). */
  readonly onCurrentEvent: boolean;
}

/** Gauges of the rule engine's pattern matching, from the rule engine stage's `metrics`: its memory footprint. */
export interface PatternMetrics {
  /** Partial matches held now, across the keys this stage object processed or restored. */
  readonly partialMatches: number;
  /** The most partial matches held at once since this stage object was created. */
  readonly peakPartialMatches: number;
  /** Matchers held (general NFAs and dedicated ones alike). */
  readonly nfas: number;
}

/** Names a run in snapshots: an account rule runs once per account, a card rule once per card of it. */
export function runKey(run: PatternRun): string {
  return run.cardId === null ? run.rule.id : `${run.rule.id}@${run.cardId}`;
}

/** The rule id and card of a run key. */
export function parseRunKey(key: string): { ruleId: string; cardId: string | null } {
  const at = key.indexOf('@');
  return at < 0 ? { ruleId: key, cardId: null } : { ruleId: key.slice(0, at), cardId: key.slice(at + 1) };
}

function removeRun(runs: PatternRuns, run: PatternRun): void {
  runs.splice(runs.indexOf(run), 1);
}

/**
 * A copy with room for exactly one more run: a push (or a spread) would reserve room for 16, in
 * every account's state. The stage also takes a new array as the sign that a run started.
 */
function addRun(state: RuleEngineState, run: PatternRun): void {
  state.runs = state.runs.concat(run);
}

const NO_MATCHES: readonly CompletedMatch[] = Object.freeze([]);

/**
 * Drives the pattern and pairs rules over the events of one key at a time. A matcher exists only
 * while it holds a partial match: it is created when an event could start a run and dropped once
 * no run is left, because most accounts match nothing and an idle matcher still costs memory.
 */
export class PatternRunner {
  /** Account rules, then card rules, each in pack order: the order their matches complete in. */
  readonly #rules: (PatternRule | PairRule)[];
  readonly #accountRules: number;
  /**
   * Scratch: the run of each rule (by position in `#rules`) for the key and card of the event
   * being processed, found in one pass over the key's runs rather than a search per rule.
   */
  readonly #runOf: (PatternRun | undefined)[];
  #partialMatches = 0;
  #peakPartialMatches = 0;
  #nfas = 0;

  constructor(rules: readonly Rule[]) {
    const patternRules = rules.filter((rule): rule is PatternRule | PairRule => rule.pattern !== null || rule.pairs !== null);
    const accountRules = patternRules.filter((rule) => rule.key === 'account');
    this.#rules = [...accountRules, ...patternRules.filter((rule) => rule.key === 'card')];
    this.#accountRules = accountRules.length;
    this.#runOf = this.#rules.map(() => undefined);
  }

  get hasPatterns(): boolean {
    return this.#rules.length > 0;
  }

  get metrics(): PatternMetrics {
    return { partialMatches: this.#partialMatches, peakPartialMatches: this.#peakPartialMatches, nfas: this.#nfas };
  }

  /** Feeds an on-time event (events come in event-time order) to the account's patterns, and a transaction also to its card's. */
  process(state: RuleEngineState, event: PatternEvent): readonly CompletedMatch[] {
    const rules = this.#rules;
    const runOf = this.#runOf;
    const cardId = event.kind === 'transaction' ? event.tx.cardId : null;
    // Cleared before use, not after: a condition that throws must not leave another key's runs here.
    runOf.fill(undefined);
    for (const run of state.runs) {
      if (run.cardId !== null && run.cardId !== cardId) continue;
      for (let i = 0; i < rules.length; i++) {
        if (rules[i] !== run.rule) continue;
        runOf[i] = run;
        break;
      }
    }
    let completed: CompletedMatch[] | null = null;
    const stepped = event.kind === 'transaction' ? rules.length : this.#accountRules;
    for (let i = 0; i < stepped; i++) {
      completed = this.#step(state, rules[i]!, i < this.#accountRules ? null : cardId, runOf[i], event, completed);
    }
    return completed ?? NO_MATCHES;
  }

  /** The earliest time at which `advance` can change the runs: the first window to close, Infinity without runs. */
  nextWindowEnd(runs: PatternRuns): number {
    let end = Infinity;
    for (const run of runs) {
      const runEnd = isMatcherRun(run) ? run.matcher.nextWindowEnd : run.last.time + run.rule.pairs.withinMs;
      if (runEnd < end) end = runEnd;
    }
    return end;
  }

  /** Closes the windows that ended by `time`; matches waiting only for that (trailing absences, held-back matches) complete. */
  advance({ runs }: RuleEngineState, time: number): readonly CompletedMatch[] {
    let completed: CompletedMatch[] | null = null;
    // A run that ends is removed from the array, so the next one moves into its place.
    for (let i = 0; i < runs.length; ) {
      const run = runs[i]!;
      if (!isMatcherRun(run)) {
        if (time - run.last.time >= run.rule.pairs.withinMs) {
          removeRun(runs, run);
          this.#count(-1);
        }
      } else {
        completed = this.#collect(runs, run, run.matcher.advanceTime(time), null, completed);
      }
      if (runs[i] === run) i++;
    }
    return completed ?? NO_MATCHES;
  }

  /** Counts runs restored from a snapshot as live. */
  adopt(run: PatternRun): void {
    if (!isMatcherRun(run)) return this.#count(1);
    this.#nfas++;
    this.#count(run.partialMatches);
  }

  #step(
    state: RuleEngineState,
    rule: PatternRule | PairRule,
    cardId: string | null,
    run: PatternRun | undefined,
    event: PatternEvent,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    if (rule.pairs !== null) return this.#pair(state, rule as PairRule, cardId, run as PairRun | undefined, event, completed);
    return this.#match(state, rule as PatternRule, cardId, run as MatcherRun | undefined, event, completed);
  }

  /**
   * The pairs form of `begin(first).where(w).followedBy(second).where(w).within(W)`: the newest
   * accepted event pairs with the previous one, if that one's window is still open.
   */
  #pair(
    state: RuleEngineState,
    rule: PairRule,
    cardId: string | null,
    run: PairRun | undefined,
    event: PatternEvent,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    const { where, first, second, withinMs } = rule.pairs;
    if (!where(event)) return completed;
    if (run === undefined) {
      addRun(state, { rule, cardId, last: event });
      this.#count(1);
      return completed;
    }
    const previous = run.last;
    run.last = event;
    if (event.time - previous.time >= withinMs) return completed;
    const out = completed ?? [];
    out.push({ rule, match: { [first]: [previous], [second]: [event] }, onCurrentEvent: true });
    return out;
  }

  #match(
    state: RuleEngineState,
    rule: PatternRule,
    cardId: string | null,
    found: MatcherRun | undefined,
    event: PatternEvent,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    let run = found;
    if (run === undefined) {
      if (!rule.pattern.mayStart(event)) return completed;
      run = matcherRun(rule, cardId, rule.pattern.matchers.create());
      addRun(state, run);
      this.#nfas++;
    }
    return this.#collect(state.runs, run, run.matcher.process(event, event.time), event, completed);
  }

  #collect(
    runs: PatternRuns,
    run: MatcherRun,
    { matches }: NfaOutput<PatternEvent>,
    current: PatternEvent | null,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    const after = run.matcher.partialMatches;
    this.#count(after - run.partialMatches);
    run.partialMatches = after;
    if (after === 0) {
      removeRun(runs, run);
      this.#nfas--;
    }
    if (matches.length === 0) return completed;
    const out = completed ?? [];
    for (const match of matches) out.push({ rule: run.rule, match, onCurrentEvent: current !== null && lastEvent(match) === current });
    return out;
  }

  #count(delta: number): void {
    this.#partialMatches += delta;
    if (this.#partialMatches > this.#peakPartialMatches) this.#peakPartialMatches = this.#partialMatches;
  }
}

export function isMatcherRun(run: PatternRun): run is MatcherRun {
  return 'matcher' in run;
}

/** Stages are listed in match order, so the last stage's last event completed the match. */
function lastEvent(match: RuleMatch): PatternEvent | undefined {
  let last: PatternEvent | undefined;
  for (const stage in match) last = match[stage]![match[stage]!.length - 1];
  return last;
}
