import {
  AfterMatchSkip,
  defineRule,
  formatMoney,
  isTransaction,
  iterative,
  Pattern,
  type PatternEvent,
  type TransactionPatternEvent,
  transactionsIn,
  WithinType,
} from '@peregrine/cep';

const MINUTE = 60_000;
export const RETRY_WINDOW_MS = 2 * MINUTE;
export const WINDOW_MS = 15 * MINUTE;

const isPayment = (event: PatternEvent): event is TransactionPatternEvent => event.kind === 'transaction';

/**
 * One retry: a declined payment, then straight after it (the card's next payment, within two
 * minutes) an approved one for less at the same merchant: someone finding what the card still
 * clears.
 */
const retry = Pattern.begin<PatternEvent>('declined')
  .where(isTransaction((e) => e.tx.authStatus === 'DECLINED'))
  .next('approved')
  .subtype(isPayment)
  .where(
    iterative((payment, ctx) => {
      const declined = ctx.eventsFor('declined').at(-1);
      return (
        payment.tx.authStatus === 'APPROVED' &&
        declined?.kind === 'transaction' &&
        payment.tx.merchantId === declined.tx.merchantId &&
        payment.tx.amountMinor < declined.tx.amountMinor
      );
    }),
  )
  .within(RETRY_WINDOW_MS, WithinType.PREVIOUS_AND_CURRENT);

export const rule = defineRule({
  id: 'decline-retry',
  description: 'Two declined payments on a card, each retried at once for less at the same merchant, within 15 minutes',
  severity: 'HIGH',
  key: 'card',
  score: 0.5,
  // A group repeated twice; skipping past the last event reports one burst once.
  pattern: Pattern.begin<PatternEvent>(retry, AfterMatchSkip.skipPastLastEvent()).times(2).within(WINDOW_MS),
  explain: ({ match }) => {
    const declined = transactionsIn(match, 'declined');
    const approved = transactionsIn(match, 'approved');
    const retries = declined.map((d, i) => `${formatMoney(d.tx.amountMinor, d.tx.currency)} declined, ${formatMoney(approved[i]!.tx.amountMinor, approved[i]!.tx.currency)} approved`);
    return `retried for less after a decline: ${retries.join('; ')}`;
  },
});
