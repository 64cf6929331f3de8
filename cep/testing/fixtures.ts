import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';

/** A valid transaction with test defaults; tests override what they assert on. */
export function transaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    transactionId: 'tx-1',
    accountId: 'acct-1',
    cardId: 'card-1',
    merchantId: 'merchant-1',
    mcc: '5411',
    amountMinor: 1000,
    currency: 'EUR',
    country: 'DE',
    lat: 52.52,
    lon: 13.405,
    channel: 'POS',
    deviceId: null,
    ip: null,
    authStatus: 'APPROVED',
    eventTime: 0,
    ...overrides,
  };
}

/** A valid account profile version with test defaults (`acct-1`, home Germany, EUR, effective at 0); tests override the rest. */
export function profile(overrides: Partial<AccountProfile> = {}): AccountProfile {
  return {
    accountId: 'acct-1',
    updatedAt: 0,
    homeCountry: 'DE',
    homeLat: 52.52,
    homeLon: 13.405,
    riskTier: 'LOW',
    creditLimitMinor: 500_000,
    currency: 'EUR',
    emailFingerprint: 'email-1',
    phoneFingerprint: 'phone-1',
    openedAt: 0,
    ...overrides,
  };
}

/** A valid auth event with test defaults (a `LOGIN_SUCCESS` of `acct-1` at 0); tests override what they assert on. */
export function authEvent(overrides: Partial<AuthEvent> = {}): AuthEvent {
  return {
    eventId: 'auth-1',
    accountId: 'acct-1',
    type: 'LOGIN_SUCCESS',
    deviceId: 'device-1',
    ip: '10.0.0.1',
    country: 'DE',
    eventTime: 0,
    ...overrides,
  };
}
