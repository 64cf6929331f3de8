import { Nfa, type NfaOutput } from '../nfa';
import type { PatternEvent } from './pattern-event';
import type { Rule, RuleMatch, RulePairs, RulePattern } from './rule';

export type PatternRule = Rule & { readonly pattern: RulePattern };
export type PairRule = Rule & { readonly pairs: RulePairs };

/** A pattern rule's NFA for one account (or one card of it). */
export interface NfaRun {
  readonly rule: PatternRule;
  readonly nfa: Nfa<PatternEvent>;
  /** The NFA's partial matches after its last step, kept to count deltas with one read per step. */
  partialMatches: number;
}

/** A pairs rule's newest accepted event for one account (or card): one partial match. */
export interface PairRun {
  readonly rule: PairRule;
  last: PatternEvent;
}

export type PatternRun = NfaRun | PairRun;

/** A new run for a rule, or one restored from a snapshot. */
export function nfaRun(rule: PatternRule, nfa: Nfa<PatternEvent>): NfaRun {
  return { rule, nfa, partialMatches: nfa.partialMatches };
}

/** Live runs of one account, by run key (see `runKey`); insertion order is processing order. */
export type PatternRuns = Map<string, PatternRun>;

export interface CompletedMatch {
  readonly rule: Rule;
  readonly match: RuleMatch;
  /** The match ends with the event being processed (not released later by a skip strategy or window). */
  readonly onCurrentEvent: boolean;
}

export interface PatternMetrics {
  /** Partial matches held now, across the keys this stage object processed or restored. */
  readonly partialMatches: number;
  readonly peakPartialMatches: number;
  readonly nfas: number;
}

/** An account rule runs once per account, a card rule once per card of it. */
function runKey(rule: Rule, cardId: string | null): string {
  return rule.key === 'card' ? `${rule.id}@${cardId}` : rule.id;
}

/** The rule id part of a run key. */
export function ruleIdOf(runKey: string): string {
  return runKey.split('@', 1)[0]!;
}

const NO_MATCHES: readonly CompletedMatch[] = Object.freeze([]);

/**
 * Drives the pattern and pairs rules over the events of one key at a time. An NFA exists only
 * while it holds a partial match: it is created when an event could start a run and dropped once
 * no run is left, because most accounts match nothing and an idle NFA still costs memory.
 */
export class PatternRunner {
  readonly #accountRules: (PatternRule | PairRule)[];
  readonly #cardRules: (PatternRule | PairRule)[];
  #partialMatches = 0;
  #peakPartialMatches = 0;
  #nfas = 0;

  constructor(rules: readonly Rule[]) {
    const patternRules = rules.filter((rule): rule is PatternRule | PairRule => rule.pattern !== null || rule.pairs !== null);
    this.#accountRules = patternRules.filter((rule) => rule.key === 'account');
    this.#cardRules = patternRules.filter((rule) => rule.key === 'card');
  }

  get hasPatterns(): boolean {
    return this.#accountRules.length + this.#cardRules.length > 0;
  }

  get metrics(): PatternMetrics {
    return { partialMatches: this.#partialMatches, peakPartialMatches: this.#peakPartialMatches, nfas: this.#nfas };
  }

  /** Feeds an on-time event (events come in event-time order) to the account's patterns, and a transaction also to its card's. */
  process(runs: PatternRuns, event: PatternEvent): readonly CompletedMatch[] {
    let completed: CompletedMatch[] | null = null;
    for (const rule of this.#accountRules) completed = this.#step(runs, rule, rule.id, event, completed);
    if (event.kind === 'transaction') {
      for (const rule of this.#cardRules) completed = this.#step(runs, rule, runKey(rule, event.tx.cardId), event, completed);
    }
    return completed ?? NO_MATCHES;
  }

  /** The earliest time at which `advance` can change the runs: the first window to close, Infinity without runs. */
  nextWindowEnd(runs: PatternRuns): number {
    let end = Infinity;
    for (const run of runs.values()) {
      const runEnd = isNfaRun(run) ? run.nfa.nextWindowEnd : run.last.time + run.rule.pairs.withinMs;
      if (runEnd < end) end = runEnd;
    }
    return end;
  }

  /** Closes the windows that ended by `time`; matches waiting only for that (trailing absences, held-back matches) complete. */
  advance(runs: PatternRuns, time: number): readonly CompletedMatch[] {
    let completed: CompletedMatch[] | null = null;
    // Deleting the entry being visited is safe in a Map's iteration.
    for (const [key, run] of runs) {
      if (!isNfaRun(run)) {
        if (time - run.last.time >= run.rule.pairs.withinMs) {
          runs.delete(key);
          this.#count(-1);
        }
        continue;
      }
      completed = this.#collect(runs, key, run, run.nfa.advanceTime(time), null, completed);
    }
    return completed ?? NO_MATCHES;
  }

  /** Counts runs restored from a snapshot as live. */
  adopt(run: PatternRun): void {
    if (!isNfaRun(run)) return this.#count(1);
    this.#nfas++;
    this.#count(run.partialMatches);
  }

  #step(
    runs: PatternRuns,
    rule: PatternRule | PairRule,
    key: string,
    event: PatternEvent,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    if (rule.pairs !== null) return this.#pair(runs, rule as PairRule, key, event, completed);
    return this.#stepNfa(runs, rule as PatternRule, key, event, completed);
  }

  /**
   * The pairs form of `begin(first).where(w).followedBy(second).where(w).within(W)`: the newest
   * accepted event pairs with the previous one, if that one's window is still open.
   */
  #pair(runs: PatternRuns, rule: PairRule, key: string, event: PatternEvent, completed: CompletedMatch[] | null): CompletedMatch[] | null {
    const { where, first, second, withinMs } = rule.pairs;
    if (!where(event)) return completed;
    const run = runs.get(key) as PairRun | undefined;
    if (run === undefined) {
      runs.set(key, { rule, last: event });
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

  #stepNfa(
    runs: PatternRuns,
    rule: PatternRule,
    key: string,
    event: PatternEvent,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    let run = runs.get(key) as NfaRun | undefined;
    if (run === undefined) {
      if (!rule.pattern.mayStart(event)) return completed;
      run = nfaRun(rule, Nfa.create(rule.pattern.automaton));
      runs.set(key, run);
      this.#nfas++;
    }
    return this.#collect(runs, key, run, run.nfa.process(event, event.time), event, completed);
  }

  #collect(
    runs: PatternRuns,
    key: string,
    run: NfaRun,
    { matches }: NfaOutput<PatternEvent>,
    current: PatternEvent | null,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    const after = run.nfa.partialMatches;
    this.#count(after - run.partialMatches);
    run.partialMatches = after;
    if (after === 0) {
      runs.delete(key);
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

export function isNfaRun(run: PatternRun): run is NfaRun {
  return 'nfa' in run;
}

/** Stages are listed in match order, so the last stage's last event completed the match. */
function lastEvent(match: RuleMatch): PatternEvent | undefined {
  let last: PatternEvent | undefined;
  for (const stage in match) last = match[stage]![match[stage]!.length - 1];
  return last;
}
