/**
 * What an iterative condition may read besides the event itself: the events already accepted by
 * the partial match it is evaluated for, and the event's time.
 */
export interface ConditionContext<E> {
  /** Events accepted so far for `stage` in this partial match, oldest first; empty if none. */
  eventsFor(stage: string): readonly E[];
  /** Event time of the event under test, epoch milliseconds. */
  readonly timestamp: number;
}

/**
 * A condition over the event alone (FlinkCEP's SimpleCondition): it holds or not for the event
 * whatever partial match it is judged for, so a matcher may judge it once per event, and a
 * pattern of simple conditions can run on a dedicated matcher. The engine never hands it the
 * partial match.
 */
export type SimpleCondition<E> = (event: E) => boolean;

/**
 * A condition that reads the partial match (FlinkCEP's IterativeCondition), made with
 * `iterative`: a different type from a simple condition, so that what a stage may read is
 * declared, not guessed from how a function was written.
 */
export interface IterativeCondition<E, C = E> {
  readonly kind: 'iterative';
  /** `ctx` holds the partial match's events, of the pattern's event type `C` (a stage's `subtype` narrows only `event`). */
  readonly test: (event: E, ctx: ConditionContext<C>) => boolean;
}

/** What `where`, `or` and `until` take: events of type `E` in a pattern of events of type `C`. */
export type StageCondition<E, C = E> = SimpleCondition<E> | IterativeCondition<E, C>;

/** Declares a condition that reads the events its partial match accepted so far, or the event's time. */
export function iterative<E, C = E>(test: (event: E, ctx: ConditionContext<C>) => boolean): IterativeCondition<E, C> {
  return { kind: 'iterative', test };
}

/** A stage's condition as the compiler and matchers call it; a simple condition ignores the context. */
export type Condition<E> = (event: E, ctx: ConditionContext<E>) => boolean;
