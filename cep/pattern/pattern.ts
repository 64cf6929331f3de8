import type { Condition, ConditionContext, IterativeCondition, SimpleCondition, StageCondition } from './condition';
import { MalformedPatternError } from './malformed-pattern-error';
import { Quantifier, type ConsumingStrategy, type QuantifierSpec } from './quantifier';
import { AfterMatchSkip, type AfterMatchSkipStrategy } from './skip-strategy';

/** One named stage of a pattern sequence, as the compiler reads it. */
export interface StageDefinition<E> {
  /** A group's name is its stages' names in parentheses; matches list the group's events under its stages' names. */
  readonly name: string;
  /** Null accepts every event; always null for a group. */
  readonly condition: Condition<E> | null;
  /** Whether the condition and `until` are simple (they read the event alone), so that a dedicated matcher may run the stage. */
  readonly simple: boolean;
  /** Stops a looping stage: once it holds, the stage accepts no more events. */
  readonly until: Condition<E> | null;
  readonly quantifier: QuantifierSpec;
  /** `within(ms, WithinType.PREVIOUS_AND_CURRENT)`: the most event time from the match's previous event to this stage's. */
  readonly previousWithinMs: number | null;
  /** A group stage's own sequence (`Pattern.begin(pattern)`, `followedBy(pattern)`, ...), null for a stage of one event kind. */
  readonly group: readonly StageDefinition<E>[] | null;
}

/** A finished pattern as plain data, from {@link Pattern.definition}: what the compiler turns into an automaton. */
export interface PatternDefinition<E> {
  /** In sequence order, first stage first. */
  readonly stages: readonly StageDefinition<E>[];
  /** Most event-time span from the first to the last event of a match, in ms; null when unbounded. */
  readonly withinMs: number | null;
  /** The skip strategy given to `Pattern.begin`. */
  readonly skipStrategy: AfterMatchSkipStrategy;
}

/** A pattern whatever its last stage's event subtype: what groups and the sequence's links hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the subtype of another stage is not this one's concern
type AnyPattern<E> = Pattern<E, any>;

/** Which events of a match `within` bounds (FlinkCEP's WithinType). */
export const WithinType = {
  /** The match's first event to its last. */
  FIRST_AND_LAST: 'firstAndLast',
  /** The match's previous event to the stage's event. */
  PREVIOUS_AND_CURRENT: 'previousAndCurrent',
} as const;
export type WithinType = (typeof WithinType)[keyof typeof WithinType];

/** Reserved for the automaton's final state, and ':' separates internal state-name suffixes. */
const RESERVED_NAME = '$end$';

/**
 * Typed builder of a FlinkCEP-style pattern sequence. Each `next`/`followedBy`/... call starts a
 * new stage; the other methods configure the current (last) stage and return the same builder.
 * Given a pattern instead of a name, `begin`, `next`, `followedBy` and `followedByAny` start a
 * group stage (FlinkCEP's GroupPattern): the quantifiers then repeat or make optional the
 * group's whole sequence, as in `c (a b){2} d`.
 */
export class Pattern<E, F extends E = E> {
  readonly #name: string;
  readonly #previous: AnyPattern<E> | null;
  /** A group stage's sequence (its last stage); null for a stage of one event kind. */
  readonly #group: AnyPattern<E> | null;
  readonly #quantifier: Quantifier;
  readonly #skipStrategy: AfterMatchSkipStrategy;
  /** `subtype`'s type guards, ANDed: judged first, so that the stage's other conditions only see events of the subtype. */
  #guard: Condition<E> | null = null;
  /** The `where` and `or` conditions. */
  #condition: Condition<E> | null = null;
  #until: Condition<E> | null = null;
  #simple = true;
  #withinMs: number | null = null;
  #previousWithinMs: number | null = null;

  private constructor(
    stage: string | AnyPattern<E>,
    previous: AnyPattern<E> | null,
    consuming: ConsumingStrategy,
    skipStrategy: AfterMatchSkipStrategy,
  ) {
    const name = typeof stage === 'string' ? stage : `(${stage.#stageNames().join(' ')})`;
    if (typeof stage === 'string') Pattern.#checkStageName(stage);
    this.#name = name;
    this.#previous = previous;
    this.#group = typeof stage === 'string' ? null : stage;
    this.#quantifier = new Quantifier(name, consuming);
    this.#skipStrategy = skipStrategy;
    this.#checkUniqueNames();
  }

  /** Starts a sequence with a stage named `stage`, or with `stage`'s sequence as a group. */
  static begin<E>(stage: string | AnyPattern<E>, skipStrategy: AfterMatchSkipStrategy = AfterMatchSkip.noSkip()): Pattern<E> {
    return new Pattern<E>(stage, null, 'strict', skipStrategy);
  }

  get name(): string {
    return this.#name;
  }

  /** ANDs `condition` with the stage's condition. */
  where(condition: StageCondition<F, E>): this {
    this.#checkNotGroup('where');
    const test = this.#conditionOf('where', condition);
    const current = this.#condition;
    this.#condition = current === null ? test : (e, ctx) => current(e, ctx) && test(e, ctx);
    return this;
  }

  /** ORs `condition` with the stage's condition (within the stage's `subtype`, if it has one). */
  or(condition: StageCondition<F, E>): this {
    this.#checkNotGroup('or');
    const test = this.#conditionOf('or', condition);
    const current = this.#condition;
    this.#condition = current === null ? test : (e, ctx) => current(e, ctx) || test(e, ctx);
    return this;
  }

  /**
   * The stage accepts only events for which `guard` holds (FlinkCEP's `subtype`, with a type guard
   * in place of a class), and its later conditions see them as `S`.
   */
  subtype<S extends F>(guard: (event: F) => event is S): Pattern<E, S> {
    this.#checkNotGroup('subtype');
    const test = this.#conditionOf('subtype', guard as SimpleCondition<F>);
    const current = this.#guard;
    this.#guard = current === null ? test : (e, ctx) => current(e, ctx) && test(e, ctx);
    return this as unknown as Pattern<E, S>;
  }

  /** Strict contiguity: the stage's (or group's first) event must directly follow the previous stage's. */
  next(stage: string | AnyPattern<E>): Pattern<E> {
    return this.#append(stage, 'strict');
  }

  /** Relaxed contiguity: non-matching events in between are skipped. */
  followedBy(stage: string | AnyPattern<E>): Pattern<E> {
    return this.#append(stage, 'skipTillNext');
  }

  /** Non-deterministic relaxed contiguity: matching events in between may be skipped too. */
  followedByAny(stage: string | AnyPattern<E>): Pattern<E> {
    return this.#append(stage, 'skipTillAny');
  }

  /** Discards the partial match if the very next event matches this stage. */
  notNext(name: string): Pattern<E> {
    this.#checkNotAfterOptional('notNext');
    return this.#append(name, 'notNext');
  }

  /** Discards the partial match if any event before the next stage (or the window end) matches. */
  notFollowedBy(name: string): Pattern<E> {
    this.#checkNotAfterOptional('notFollowedBy');
    return this.#append(name, 'notFollow');
  }

  /**
   * One or more events. With `windowMs`, each of the stage's events after its first must come
   * less than `windowMs` after the previous one (FlinkCEP's `oneOrMore(Duration)`).
   */
  oneOrMore(windowMs?: number): this {
    return this.timesOrMore(1, windowMs);
  }

  /** `times` or more events; `windowMs` as for `oneOrMore`. */
  timesOrMore(times: number, windowMs?: number): this {
    this.#quantifier.repeat('looping', times, Infinity, `timesOrMore(${times})`, windowMs);
    return this;
  }

  /**
   * Exactly `from` events, or between `from` and `to`; `times(0, n)` is `times(1, n).optional()`.
   * With `windowMs`, the stage's events must each come less than `windowMs` after the previous
   * one (FlinkCEP's `times(from, to, Duration)`).
   */
  times(from: number, to: number = from, windowMs?: number): this {
    const construct = `times(${from}, ${to})`;
    if (from === 0 && to > 0) {
      this.#quantifier.repeat('times', 1, to, construct, windowMs);
      this.#quantifier.makeOptional();
    } else {
      this.#quantifier.repeat('times', from, to, construct, windowMs);
    }
    return this;
  }

  optional(): this {
    const previous = this.#previous;
    if (previous !== null && previous.#quantifier.greedy) {
      throw new MalformedPatternError(
        `Stage '${this.#name}': optional() cannot follow the greedy stage '${previous.#name}'`,
        { stage: this.#name },
      );
    }
    this.#quantifier.makeOptional();
    return this;
  }

  greedy(): this {
    this.#checkNotGroup('greedy');
    this.#quantifier.makeGreedy();
    return this;
  }

  consecutive(): this {
    this.#quantifier.makeConsecutive();
    return this;
  }

  allowCombinations(): this {
    this.#quantifier.allowCombinations();
    return this;
  }

  /** Stops a looping stage: once `condition` holds for an event (of the stage's `subtype`), the stage accepts no more. */
  until(condition: StageCondition<F, E>): this {
    if (this.#until !== null) {
      throw new MalformedPatternError(`Stage '${this.#name}': until() can be applied only once`, {
        stage: this.#name,
      });
    }
    if (!this.#quantifier.looping) {
      throw new MalformedPatternError(
        `Stage '${this.#name}': until() is only applicable to looping stages (oneOrMore/timesOrMore)`,
        { stage: this.#name },
      );
    }
    const test = this.#conditionOf('until', condition);
    const guard = this.#guard;
    this.#until = guard === null ? test : (e, ctx) => guard(e, ctx) && test(e, ctx);
    return this;
  }

  /**
   * Bounds the whole sequence, its first event to its last (`WithinType.FIRST_AND_LAST`, the
   * default; when set on several stages the smallest bound applies); or, with
   * `WithinType.PREVIOUS_AND_CURRENT`, the time from the match's previous event to this stage's.
   */
  within(ms: number, type: WithinType = WithinType.FIRST_AND_LAST): this {
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new MalformedPatternError(`Stage '${this.#name}': within() needs a positive duration, got ${ms}`, {
        stage: this.#name,
      });
    }
    if (type === WithinType.PREVIOUS_AND_CURRENT) this.#previousWithinMs = ms;
    else if (type === WithinType.FIRST_AND_LAST) this.#withinMs = ms;
    else throw new MalformedPatternError(`Stage '${this.#name}': within() takes a WithinType, got ${String(type)}`, { stage: this.#name });
    return this;
  }

  /**
   * The finished sequence, first stage first, for the compiler. A `within` inside a group bounds
   * the whole sequence too, as in FlinkCEP; a group's own skip strategy is not used.
   */
  definition(): PatternDefinition<E> {
    const stages: StageDefinition<E>[] = [];
    let withinMs: number | null = null;
    for (let p: AnyPattern<E> | null = this as AnyPattern<E>; p !== null; p = p.#previous) {
      let group: readonly StageDefinition<E>[] | null = null;
      let stageWithinMs = p.#withinMs;
      if (p.#group !== null) {
        const inner = p.#group.definition();
        group = inner.stages;
        if (inner.withinMs !== null && (stageWithinMs === null || inner.withinMs < stageWithinMs)) stageWithinMs = inner.withinMs;
      }
      const guard = p.#guard;
      const body = p.#condition;
      const condition = guard === null || body === null ? (guard ?? body) : (e: E, ctx: ConditionContext<E>) => guard(e, ctx) && body(e, ctx);
      stages.push({ name: p.#name, condition, simple: p.#simple, until: p.#until, quantifier: p.#quantifier.spec(), previousWithinMs: p.#previousWithinMs, group });
      if (stageWithinMs !== null && (withinMs === null || stageWithinMs < withinMs)) withinMs = stageWithinMs;
    }
    return { stages: stages.reverse(), withinMs, skipStrategy: this.#skipStrategy };
  }

  #append(stage: string | AnyPattern<E>, consuming: ConsumingStrategy): Pattern<E> {
    return new Pattern<E>(stage, this, consuming, this.#skipStrategy);
  }

  /** Names of the events' stages, a group's stages in its place, in sequence order. */
  #stageNames(): string[] {
    const names: string[] = [];
    for (let p: AnyPattern<E> | null = this as AnyPattern<E>; p !== null; p = p.#previous) {
      names.unshift(...(p.#group === null ? [p.#name] : p.#group.#stageNames()));
    }
    return names;
  }

  /**
   * The compiler's form of a condition given to `construct`. A simple condition is called with the
   * event alone, so that it reads the same on the NFA as on a dedicated matcher.
   */
  #conditionOf(construct: string, condition: StageCondition<F, E>): Condition<E> {
    if (typeof condition === 'function') {
      if (condition.length > 1) {
        throw new MalformedPatternError(
          `Stage '${this.#name}': ${construct}() was given a function of the event and the partial match: declare it with iterative((event, ctx) => ...)`,
          { stage: this.#name },
        );
      }
      return (event) => condition(event as F);
    }
    if (typeof condition === 'object' && condition !== null && condition.kind === 'iterative' && typeof condition.test === 'function') {
      this.#simple = false;
      const { test } = condition as IterativeCondition<F, E>;
      return (event, ctx) => test(event as F, ctx);
    }
    throw new MalformedPatternError(`Stage '${this.#name}': ${construct}() takes a function of the event or an iterative() condition`, {
      stage: this.#name,
    });
  }

  #checkNotGroup(construct: string): void {
    if (this.#group !== null) {
      throw new MalformedPatternError(`Group ${this.#name}: ${construct}() does not apply to a group; give its stages the conditions`, {
        stage: this.#name,
      });
    }
  }

  #checkNotAfterOptional(construct: string): void {
    if (this.#quantifier.optional) {
      throw new MalformedPatternError(
        `Stage '${this.#name}': ${construct}() cannot follow an optional stage; ` +
          'write two patterns, one with and one without the optional stage',
        { stage: this.#name },
      );
    }
  }

  static #checkStageName(name: string): void {
    if (name.length === 0 || name.includes(':') || name === RESERVED_NAME || name.startsWith('(')) {
      throw new MalformedPatternError(
        `Invalid stage name '${name}': must be non-empty, without ':', not starting with '(' and not '${RESERVED_NAME}'`,
        { stage: name },
      );
    }
  }

  /** Stage names identify a match's events, so they are unique across the sequence and its groups. */
  #checkUniqueNames(): void {
    const seen = new Set<string>();
    for (const name of this.#stageNames()) {
      if (seen.has(name)) throw new MalformedPatternError(`Duplicate stage name '${name}'`, { stage: name });
      seen.add(name);
    }
  }
}
