import { Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

export const DORMANT_MS = 90 * 86_400_000;
export const FOLLOW_UPS = 3;
export const WINDOW_MS = 30 * 60_000;

export const rule = defineRule({
  id: 'dormant-burst',
  description: 'An account silent for 90 days or more wakes up with a burst of transactions',
  severity: 'HIGH',
  key: 'account',
  score: 0.55,
  pattern: Pattern.begin<PatternEvent>('wake')
    .where(isTransaction((e) => e.msSincePreviousTransaction !== null && e.msSincePreviousTransaction >= DORMANT_MS))
    .followedBy('burst')
    .where(isTransaction())
    .times(FOLLOW_UPS)
    .within(WINDOW_MS),
  explain: ({ match }) => {
    const [wake] = transactionsIn(match, 'wake');
    const burst = transactionsIn(match, 'burst');
    return `dormant for ${formatDuration(wake!.msSincePreviousTransaction!)}, then ${burst.length + 1} transactions ` +
      `within ${formatDuration(burst[burst.length - 1]!.time - wake!.time)}`;
  },
});
