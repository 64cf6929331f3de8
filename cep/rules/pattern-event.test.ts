import { transaction } from '../testing';
import { Pattern, type StageCondition, iterative } from '../pattern';
import { isAuth, isCredentialChange, isProfileChange, isTransaction, type PatternEvent } from './pattern-event';

const tx = (amountMinor: number): PatternEvent => ({ kind: 'transaction', id: 't', time: 0, tx: transaction({ amountMinor }), msSincePreviousTransaction: null });

describe('pattern event conditions', () => {
  const simpleStage = (condition: StageCondition<PatternEvent>): boolean => Pattern.begin<PatternEvent>('a').where(condition).definition().stages[0]!.simple;

  it('are simple, so that dedicated matchers may take them; a condition that reads the partial match is declared', () => {
    expect([isTransaction(), isTransaction((e) => e.tx.amountMinor > 0), isAuth('LOCKOUT'), isProfileChange(), isCredentialChange].every(simpleStage)).toBe(true);
    expect(simpleStage(iterative((e, ctx) => e.kind === 'transaction' && ctx.eventsFor('a').length > 0))).toBe(false);
  });

  it('judge a transaction by the predicate, and refuse other events', () => {
    expect(isTransaction((e) => e.tx.amountMinor > 5)(tx(6))).toBe(true);
    expect(isTransaction((e) => e.tx.amountMinor > 5)(tx(5))).toBe(false);
    expect(isTransaction()({ kind: 'auth', id: 'a', time: 0, auth: { type: 'LOCKOUT' } } as unknown as PatternEvent)).toBe(false);
  });
});
