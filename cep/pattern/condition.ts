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
