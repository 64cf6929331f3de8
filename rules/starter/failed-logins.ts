import { AfterMatchSkip, Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, isAuth, type PatternEvent } from '../../cep/rules';

/** More than 10: the 11th failure completes the match. */
export const FAILURES = 11;
export const WINDOW_MS = 60_000;

export const rule = defineRule({
  id: 'failed-logins',
  description: 'More than 10 failed logins within 60 s: password guessing or credential stuffing',
  severity: 'HIGH',
  key: 'account',
  score: 0.6,
  // Skipping past the 11th failure: one alert per 11 failures, not one per failure after the 10th.
  pattern: Pattern.begin<PatternEvent>('failures', AfterMatchSkip.skipPastLastEvent()).where(isAuth('LOGIN_FAILURE')).times(FAILURES).within(WINDOW_MS),
  explain: ({ match }) => {
    const failures = match.failures!;
    return `${failures.length} failed logins in ${formatDuration(failures[failures.length - 1]!.time - failures[0]!.time)}`;
  },
});
