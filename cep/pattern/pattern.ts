import type { Condition } from './condition';
import { MalformedPatternError } from './malformed-pattern-error';
import { Quantifier, type ConsumingStrategy, type QuantifierSpec } from './quantifier';
import { AfterMatchSkip, type AfterMatchSkipStrategy } from './skip-strategy';

/** One named stage of a pattern sequence, as the compiler reads it. */
export interface StageDefinition<E> {
  readonly name: string;
  /** Null accepts every event. */
  readonly condition: Condition<E> | null;
  /** Stops a looping stage: once it holds, the stage accepts no more events. */
  readonly until: Condition<E> | null;
  readonly quantifier: QuantifierSpec;
}

export interface PatternDefinition<E> {
  /** In sequence order, first stage first. */
  readonly stages: readonly StageDefinition<E>[];
  /** Most event-time span from the first to the last event of a match; null when unbounded. */
  readonly withinMs: number | null;
  readonly skipStrategy: AfterMatchSkipStrategy;
}

/** Reserved for the automaton's final state, and ':' separates internal state-name suffixes. */
const RESERVED_NAME = '$end$';

/**
 * Typed builder of a FlinkCEP-style pattern sequence. Each `next`/`followedBy`/... call starts a
 * new stage; the other methods configure the current (last) stage and return the same builder.
 */
export class Pattern<E> {
  readonly #name: string;
  readonly #previous: Pattern<E> | null;
  readonly #quantifier: Quantifier;
  readonly #skipStrategy: AfterMatchSkipStrategy;
  #condition: Condition<E> | null = null;
  #until: Condition<E> | null = null;
  #withinMs: number | null = null;

  private constructor(
    name: string,
    previous: Pattern<E> | null,
    consuming: ConsumingStrategy,
    skipStrategy: AfterMatchSkipStrategy,
  ) {
    Pattern.#checkStageName(name, previous);
    this.#name = name;
    this.#previous = previous;
    this.#quantifier = new Quantifier(name, consuming);
    this.#skipStrategy = skipStrategy;
  }

  static begin<E>(name: string, skipStrategy: AfterMatchSkipStrategy = AfterMatchSkip.noSkip()): Pattern<E> {
    return new Pattern<E>(name, null, 'strict', skipStrategy);
  }

  get name(): string {
    return this.#name;
  }

  /** ANDs `condition` with the stage's condition. */
  where(condition: Condition<E>): this {
    const current = this.#condition;
    this.#condition = current === null ? condition : (e, ctx) => current(e, ctx) && condition(e, ctx);
    return this;
  }

  /** ORs `condition` with the stage's condition. */
  or(condition: Condition<E>): this {
    const current = this.#condition;
    this.#condition = current === null ? condition : (e, ctx) => current(e, ctx) || condition(e, ctx);
    return this;
  }

  /** Strict contiguity: the stage's event must directly follow the previous stage's. */
  next(name: string): Pattern<E> {
    return this.#append(name, 'strict');
  }

  /** Relaxed contiguity: non-matching events in between are skipped. */
  followedBy(name: string): Pattern<E> {
    return this.#append(name, 'skipTillNext');
  }

  /** Non-deterministic relaxed contiguity: matching events in between may be skipped too. */
  followedByAny(name: string): Pattern<E> {
    return this.#append(name, 'skipTillAny');
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

  oneOrMore(): this {
    return this.timesOrMore(1);
  }

  timesOrMore(times: number): this {
    this.#quantifier.repeat('looping', times, Infinity, `timesOrMore(${times})`);
    return this;
  }

  /** Exactly `from` events, or between `from` and `to`; `times(0, n)` is `times(1, n).optional()`. */
  times(from: number, to: number = from): this {
    const construct = `times(${from}, ${to})`;
    if (from === 0 && to > 0) {
      this.#quantifier.repeat('times', 1, to, construct);
      this.#quantifier.makeOptional();
    } else {
      this.#quantifier.repeat('times', from, to, construct);
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

  until(condition: Condition<E>): this {
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
    this.#until = condition;
    return this;
  }

  /** Bounds the whole sequence; when set on several stages the smallest bound applies. */
  within(ms: number): this {
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new MalformedPatternError(`Stage '${this.#name}': within() needs a positive duration, got ${ms}`, {
        stage: this.#name,
      });
    }
    this.#withinMs = ms;
    return this;
  }

  /** The finished sequence, first stage first, for the compiler. */
  definition(): PatternDefinition<E> {
    const stages: StageDefinition<E>[] = [];
    let withinMs: number | null = null;
    for (let p: Pattern<E> | null = this as Pattern<E>; p !== null; p = p.#previous) {
      stages.push({ name: p.#name, condition: p.#condition, until: p.#until, quantifier: p.#quantifier.spec() });
      if (p.#withinMs !== null && (withinMs === null || p.#withinMs < withinMs)) withinMs = p.#withinMs;
    }
    return { stages: stages.reverse(), withinMs, skipStrategy: this.#skipStrategy };
  }

  #append(name: string, consuming: ConsumingStrategy): Pattern<E> {
    return new Pattern<E>(name, this, consuming, this.#skipStrategy);
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

  static #checkStageName<E>(name: string, previous: Pattern<E> | null): void {
    if (name.length === 0 || name.includes(':') || name === RESERVED_NAME) {
      throw new MalformedPatternError(
        `Invalid stage name '${name}': must be non-empty, without ':' and not '${RESERVED_NAME}'`,
        { stage: name },
      );
    }
    for (let p = previous; p !== null; p = p.#previous) {
      if (p.#name === name) throw new MalformedPatternError(`Duplicate stage name '${name}'`, { stage: name });
    }
  }
}
