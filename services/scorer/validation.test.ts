import fc from 'fast-check';
import { authEvent, profile, transaction } from '../../cep';
import { InvalidInputReason, validateInput } from './validation';

const T = Date.UTC(2026, 0, 5);

describe('input validation', () => {
  it('accepts well-formed records keyed by their account', () => {
    expect(validateInput('transaction', 'acct-1', transaction({ eventTime: T }))).toBeNull();
    expect(validateInput('profile', 'acct-1', profile({ updatedAt: T, openedAt: T - 1 }))).toBeNull();
    expect(validateInput('auth', 'acct-1', authEvent({ eventTime: T }))).toBeNull();
  });

  it.each([
    ['a negative amount', transaction({ eventTime: T, amountMinor: -1 }), 'INVALID_AMOUNT'],
    ['a fractional amount', transaction({ eventTime: T, amountMinor: 10.5 }), 'INVALID_AMOUNT'],
    ['an absurd amount', transaction({ eventTime: T, amountMinor: 2e12 }), 'INVALID_AMOUNT'],
    ['an unknown currency', transaction({ eventTime: T, currency: 'ZZZ' }), 'UNKNOWN_CURRENCY'],
    ['a time before 2000', transaction({ eventTime: 946_684_799_999 }), 'INVALID_EVENT_TIME'],
    ['a three-digit MCC', transaction({ eventTime: T, mcc: '541' }), 'INVALID_VALUE'],
    ['coordinates off the globe', transaction({ eventTime: T, lat: 91 }), 'INVALID_VALUE'],
    ['a lower-case country', transaction({ eventTime: T, country: 'de' }), 'INVALID_VALUE'],
    ['an empty card id', transaction({ eventTime: T, cardId: ' ' }), 'INVALID_VALUE'],
  ])('rejects a transaction with %s', (_what, tx, reason) => {
    expect(validateInput('transaction', 'acct-1', tx)?.reason).toBe(reason);
  });

  it('rejects a profile with a negative credit limit and an auth event from before 2000', () => {
    expect(validateInput('profile', 'acct-1', profile({ updatedAt: T, openedAt: T, creditLimitMinor: -5 }))?.reason).toBe('INVALID_AMOUNT');
    expect(validateInput('auth', 'acct-1', authEvent({ eventTime: 0 }))?.reason).toBe('INVALID_EVENT_TIME');
  });

  it('rejects a record keyed by another account, naming both', () => {
    const invalid = validateInput('transaction', 'acct-2', transaction({ eventTime: T }));
    expect(invalid).toEqual({ reason: 'KEY_MISMATCH', detail: 'record key "acct-2" is not its accountId "acct-1"' });
  });

  it('rejects a string holding NUL, which the fraud store could not keep, naming the field', () => {
    expect(validateInput('transaction', 'acct-1', transaction({ eventTime: T, deviceId: 'dev\u0000ice' }))).toEqual({
      reason: 'NUL_CHARACTER',
      detail: 'deviceId holds a NUL character (U+0000), which text stores refuse',
    });
  });

  it('is total: any value at all gets null or a reason, never an exception', () => {
    const reasons = new Set<string>(Object.values(InvalidInputReason));
    const valid = { transaction: transaction({ eventTime: T }), profile: profile({ updatedAt: T, openedAt: T }), auth: authEvent({ eventTime: T }) } as const;
    // Well-formed records with any field replaced by anything, and anything at all.
    const mutated = fc.constantFrom(...(Object.keys(valid) as Array<keyof typeof valid>)).chain((kind) =>
      fc.tuple(fc.constant(kind), fc.dictionary(fc.constantFrom(...Object.keys(valid[kind])), fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true })).map((over) => ({ ...valid[kind], ...over }))),
    );
    const anything = fc.tuple(fc.constantFrom('transaction', 'profile', 'auth' as const), fc.anything({ withBigInt: true, withNullPrototype: true, withTypedArray: true }));
    fc.assert(
      fc.property(fc.oneof(mutated, anything), fc.option(fc.string()), ([kind, value], key) => {
        const result = validateInput(kind, key, value);
        expect(result === null || reasons.has(result.reason)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
