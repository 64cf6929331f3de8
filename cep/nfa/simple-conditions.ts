import { CepError, CepErrorCode } from '../errors';
import type { ConditionContext } from '../pattern';

/**
 * What the dedicated matchers hand a simple condition: it reads only the event, so no partial
 * match is built for it. One object serves every call; the matcher sets the event's time.
 */
export const eventOnly: ConditionContext<never> & { timestamp: number } = {
  timestamp: 0,
  eventsFor: () => {
    throw new CepError(CepErrorCode.MalformedPattern, 'a simple condition read the partial match');
  },
};
