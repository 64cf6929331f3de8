import { MalformedPatternError } from './malformed-pattern-error';

/**
 * How a stage's first event relates to the previous stage's last event. The two `not*`
 * strategies mark negative stages, which accept no event and only kill partial matches.
 */
export type ConsumingStrategy = 'strict' | 'skipTillNext' | 'skipTillAny' | 'notNext' | 'notFollow';

/** How events accepted by one looping or times stage relate to each other. */
export type InnerConsumingStrategy = 'strict' | 'skipTillNext' | 'skipTillAny';

/** How many events a stage takes: one, one or more (`oneOrMore`, `timesOrMore`), or a bounded count (`times`). */
export type QuantifierKind = 'single' | 'looping' | 'times';

/** A stage's quantifier as built, read-only: what the compiler turns into automaton states. */
export interface QuantifierSpec {
  readonly kind: QuantifierKind;
  /** Contiguity with the previous stage, from the method that added the stage (`next`, `followedBy`, ...). */
  readonly consuming: ConsumingStrategy;
  /** Contiguity among the stage's own events: `consecutive()` makes it strict, `allowCombinations()` skip-till-any. */
  readonly inner: InnerConsumingStrategy;
  /** Least number of events; `to` is the most, `Infinity` for looping stages. */
  readonly from: number;
  readonly to: number;
  /** The stage may match no event at all (`optional()`). */
  readonly optional: boolean;
  /** A looping or times stage takes as many events as it can before the next stage may start (`greedy()`). */
  readonly greedy: boolean;
  /**
   * Most event time between the stage's consecutive events (`times(from, to, windowMs)`,
   * `timesOrMore(n, windowMs)`, `oneOrMore(windowMs)`); null when unbounded.
   */
  readonly windowMs: number | null;
}

/** Whether the strategy marks a negative stage (`notNext`, `notFollowedBy`): one that accepts no event. */
export function isNegation(consuming: ConsumingStrategy): boolean {
  return consuming === 'notNext' || consuming === 'notFollow';
}

/**
 * The mutable quantifier of a stage under construction. Every setter enforces FlinkCEP's
 * rules (Pattern.java, Quantifier.java) so that a bad combination fails where it is written.
 */
export class Quantifier {
  #kind: QuantifierKind = 'single';
  #inner: InnerConsumingStrategy = 'skipTillNext';
  #from = 1;
  #to = 1;
  #optional = false;
  #greedy = false;
  #windowMs: number | null = null;

  constructor(
    readonly stage: string,
    readonly consuming: ConsumingStrategy,
  ) {}

  get optional(): boolean {
    return this.#optional;
  }

  get greedy(): boolean {
    return this.#greedy;
  }

  get looping(): boolean {
    return this.#kind === 'looping';
  }

  repeat(kind: 'looping' | 'times', from: number, to: number, construct: string, windowMs: number | undefined): void {
    this.#checkNotNegation(construct);
    if (windowMs !== undefined && (!Number.isFinite(windowMs) || windowMs <= 0)) {
      throw this.#error(`${construct}: the window between the stage's events must be a positive duration, got ${windowMs}`);
    }
    if (this.#kind !== 'single') {
      throw this.#error(`${construct}: a quantifier (${this.#describe()}) is already applied`);
    }
    if (!Number.isInteger(from) || from < 1) {
      throw this.#error(`${construct}: the least number of events must be an integer > 0, got ${from}`);
    }
    if (kind === 'times' && (!Number.isInteger(to) || to < from)) {
      throw this.#error(`${construct}: the most number of events must be an integer >= ${from}, got ${to}`);
    }
    this.#kind = kind;
    this.#from = from;
    this.#to = to;
    this.#windowMs = windowMs ?? null;
  }

  makeOptional(): void {
    if (isNegation(this.consuming)) throw this.#error('optional(): a NOT stage cannot be optional');
    if (this.#optional) throw this.#error('optional(): already applied');
    this.#optional = true;
  }

  makeGreedy(): void {
    this.#checkNotNegation('greedy()');
    if (this.#kind === 'single') {
      throw this.#error('greedy(): not applicable to a singleton stage; use oneOrMore()/times() first');
    }
    if (this.#inner === 'skipTillAny') {
      throw this.#error('greedy(): not applicable together with allowCombinations()');
    }
    this.#greedy = true;
  }

  makeConsecutive(): void {
    if (this.#kind === 'single') {
      throw this.#error('consecutive(): only applicable to looping or times stages');
    }
    if (this.#inner === 'skipTillAny') {
      throw this.#error('consecutive(): cannot be combined with allowCombinations()');
    }
    if (this.#inner === 'strict') throw this.#error('consecutive(): already applied');
    this.#inner = 'strict';
  }

  allowCombinations(): void {
    if (this.#kind === 'single') {
      throw this.#error('allowCombinations(): only applicable to looping or times stages');
    }
    if (this.#inner === 'strict') {
      throw this.#error('allowCombinations(): cannot be combined with consecutive()');
    }
    if (this.#inner === 'skipTillAny') throw this.#error('allowCombinations(): already applied');
    if (this.#greedy) throw this.#error('allowCombinations(): not applicable to a greedy stage');
    this.#inner = 'skipTillAny';
  }

  spec(): QuantifierSpec {
    return {
      kind: this.#kind,
      consuming: this.consuming,
      inner: this.#inner,
      from: this.#from,
      to: this.#to,
      optional: this.#optional,
      greedy: this.#greedy,
      windowMs: this.#windowMs,
    };
  }

  #checkNotNegation(construct: string): void {
    if (isNegation(this.consuming)) {
      throw this.#error(`${construct}: not applicable to a NOT stage`);
    }
  }

  #describe(): string {
    return this.#kind === 'looping' ? `timesOrMore(${this.#from})` : `times(${this.#from}, ${this.#to})`;
  }

  #error(message: string): MalformedPatternError {
    return new MalformedPatternError(`Stage '${this.stage}': ${message}`, { stage: this.stage });
  }
}
