/**
 * What a condition may read besides the event itself: the events already accepted by the
 * partial match it is evaluated for (FlinkCEP's iterative conditions) and the event's time.
 */
export interface ConditionContext<E> {
  /** Events accepted so far for `stage` in this partial match, oldest first; empty if none. */
  eventsFor(stage: string): readonly E[];
  /** Event time of the event under test, epoch milliseconds. */
  readonly timestamp: number;
}

/** A predicate over one event. Simple conditions just ignore the context. */
export type Condition<E> = (event: E, ctx: ConditionContext<E>) => boolean;

/** A condition that reads only the event; see `isSimpleCondition`. */
export type SimpleCondition<E> = (event: E) => boolean;

/**
 * A condition declared with the event as its only parameter cannot read the partial match
 * (FlinkCEP's SimpleCondition): it holds or not for the event whatever run it is judged for,
 * so a matcher may judge it once per event. Reading the context through `arguments` or a rest
 * parameter would defeat this; conditions that need the context declare it.
 */
export function isSimpleCondition(condition: (event: never, ctx: never) => boolean): boolean {
  return condition.length <= 1;
}
