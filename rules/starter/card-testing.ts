import { AfterMatchSkip, Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, formatMoney, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

export const PROBE_MAX_MINOR = 200;
export const PROBES = 3;
export const CHARGE_MIN_MINOR = 50_000;
export const WINDOW_MS = 10 * 60_000;

export const rule = defineRule({
  id: 'card-testing',
  description: 'Several tiny probe charges on one card, then a large charge: a stolen card checked, then cashed out',
  severity: 'CRITICAL',
  key: 'card',
  score: 0.85,
  // Skipping past the charge reports one burst of probes once, not once per subset of its probes.
  pattern: Pattern.begin<PatternEvent>('probes', AfterMatchSkip.skipPastLastEvent())
    .where(isTransaction((e) => e.tx.amountMinor <= PROBE_MAX_MINOR))
    .timesOrMore(PROBES)
    .followedBy('charge')
    .where(isTransaction((e) => e.tx.amountMinor >= CHARGE_MIN_MINOR))
    .within(WINDOW_MS),
  explain: ({ match }) => {
    const probes = transactionsIn(match, 'probes');
    const [charge] = transactionsIn(match, 'charge');
    const { tx } = charge!;
    return `${probes.length} probes of at most ${formatMoney(PROBE_MAX_MINOR, tx.currency)} on card ${tx.cardId}, ` +
      `then a charge of ${formatMoney(tx.amountMinor, tx.currency)}, within ${formatDuration(charge!.time - probes[0]!.time)}`;
  },
});
