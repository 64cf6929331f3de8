import type { ConditionContext } from '../pattern';

/**
 * What the dedicated matchers hand a stage's condition. They run only simple conditions, which
 * the pattern calls with the event alone (see `Pattern`), so no partial match is built for them
 * and this context is never read.
 */
export const eventOnly: ConditionContext<never> = Object.freeze({ timestamp: NaN, eventsFor: () => [] });
