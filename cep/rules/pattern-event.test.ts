import { transaction } from '../testing';
import { isSimpleCondition } from '../pattern';
import { isAuth, isCredentialChange, isProfileChange, isTransaction, type PatternEvent } from './pattern-event';

const tx = (amountMinor: number): PatternEvent => ({ kind: 'transaction', id: 't', time: 0, tx: transaction({ amountMinor }), msSincePreviousTransaction: null });

describe('pattern event conditions', () => {
  it('are simple, so that dedicated matchers may take them, unless a transaction predicate reads the partial match', () => {
    expect([isTransaction(), isTransaction((e) => e.tx.amountMinor > 0), isAuth('LOCKOUT'), isProfileChange(), isCredentialChange].every(isSimpleCondition)).toBe(true);
    expect(isSimpleCondition(isTransaction((e, ctx) => ctx.eventsFor('a').length > 0 && e.tx.amountMinor > 0))).toBe(false);
  });

  it('judge the same whichever form they take', () => {
    const ctx = { eventsFor: () => [], timestamp: 0 };
    expect(isTransaction((e) => e.tx.amountMinor > 5)(tx(6), ctx)).toBe(true);
    expect(isTransaction((e) => e.tx.amountMinor > 5)(tx(5), ctx)).toBe(false);
    expect(isTransaction((e, c) => c.eventsFor('a').length === 0 && e.tx.amountMinor > 5)(tx(6), ctx)).toBe(true);
  });
});
