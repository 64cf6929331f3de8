import type { StageContext } from '../job/types';
import { Nfa, type NfaOutput } from '../nfa';
import type { PatternEvent } from './pattern-event';
import type { Rule, RuleMatch, RulePattern } from './rule';

type PatternRule = Rule & { readonly pattern: RulePattern };
type TimerService = Pick<StageContext<unknown, unknown>, 'registerTimer'>;

/** A pattern rule's NFA for one account (or one card of it). */
export interface PatternRun {
  readonly rule: PatternRule;
  readonly nfa: Nfa<PatternEvent>;
  /** The NFA's partial matches after its last step, kept to count deltas with one metrics read per step. */
  partialMatches: number;
}

/** A new run for a rule, or one restored from a snapshot. */
export function patternRun(rule: PatternRule, nfa: Nfa<PatternEvent>): PatternRun {
  return { rule, nfa, partialMatches: nfa.metrics.partialMatches };
}

/** Live pattern runs of one account, by run key (see `runKey`); insertion order is processing order. */
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

const NO_MATCHES: readonly CompletedMatch[] = Object.freeze([]);

/**
 * Drives the pattern rules over the events of one key at a time. An NFA exists only while it
 * holds a partial match: it is created when an event could start a run and dropped once no run
 * is left, because most accounts match nothing and an idle NFA still costs memory.
 */
export class PatternRunner {
  readonly #accountRules: PatternRule[];
  readonly #cardRules: PatternRule[];
  #partialMatches = 0;
  #peakPartialMatches = 0;
  #nfas = 0;

  constructor(rules: readonly Rule[]) {
    const patternRules = rules.filter((rule): rule is PatternRule => rule.pattern !== null);
    this.#accountRules = patternRules.filter((rule) => rule.key === 'account');
    this.#cardRules = patternRules.filter((rule) => rule.key === 'card');
  }

  get hasPatterns(): boolean {
    return this.#accountRules.length + this.#cardRules.length > 0;
  }

  get metrics(): PatternMetrics {
    return { partialMatches: this.#partialMatches, peakPartialMatches: this.#peakPartialMatches, nfas: this.#nfas };
  }

  /**
   * Feeds an on-time event (events come in event-time order) to the account's patterns, and a
   * transaction also to its card's. A timer is registered at the time a run this event starts
   * closes, so that an idle key's runs are pruned on the watermark.
   */
  process(runs: PatternRuns, event: PatternEvent, timers: TimerService): readonly CompletedMatch[] {
    let completed: CompletedMatch[] | null = null;
    for (const rule of this.#accountRules) completed = this.#step(runs, rule, rule.id, event, timers, completed);
    if (event.kind === 'transaction') {
      for (const rule of this.#cardRules) completed = this.#step(runs, rule, runKey(rule, event.tx.cardId), event, timers, completed);
    }
    return completed ?? NO_MATCHES;
  }

  /** Closes the windows that ended by `time`; matches waiting only for that (trailing absences, held-back matches) complete. */
  advance(runs: PatternRuns, time: number): readonly CompletedMatch[] {
    let completed: CompletedMatch[] | null = null;
    for (const [key, run] of [...runs]) completed = this.#collect(runs, key, run, run.nfa.advanceTime(time), null, completed);
    return completed ?? NO_MATCHES;
  }

  /** Counts runs restored from a snapshot as live. */
  adopt(run: PatternRun): void {
    this.#nfas++;
    this.#count(run.partialMatches);
  }

  #step(
    runs: PatternRuns,
    rule: PatternRule,
    key: string,
    event: PatternEvent,
    timers: TimerService,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    const starts = rule.pattern.mayStart(event);
    let run = runs.get(key);
    if (run === undefined) {
      if (!starts) return completed;
      run = patternRun(rule, Nfa.create(rule.pattern.automaton));
      runs.set(key, run);
      this.#nfas++;
    }
    if (starts) timers.registerTimer(event.time + rule.pattern.windowMs);
    return this.#collect(runs, key, run, run.nfa.process(event, event.time), event, completed);
  }

  #collect(
    runs: PatternRuns,
    key: string,
    run: PatternRun,
    { matches }: NfaOutput<PatternEvent>,
    current: PatternEvent | null,
    completed: CompletedMatch[] | null,
  ): CompletedMatch[] | null {
    const after = run.nfa.metrics.partialMatches;
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

/** Stages are listed in match order, so the last stage's last event completed the match. */
function lastEvent(match: RuleMatch): PatternEvent | undefined {
  let last: PatternEvent | undefined;
  for (const stage in match) last = match[stage]![match[stage]!.length - 1];
  return last;
}
