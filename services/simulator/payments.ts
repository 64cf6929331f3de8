// One way to turn "this account paid this merchant" into a Transaction, shared by the baseline and
// the scenarios so that injected fraud looks exactly like ordinary traffic apart from its pattern.
import type { AuthEventType, AuthStatus, AuthEvent, Transaction } from '../../schemas/types';
import { isCardPresent } from './catalog';
import type { Account, Merchant } from './population';

export interface Payment {
  readonly transactionId: string;
  readonly account: Account;
  readonly merchant: Merchant;
  readonly amountMinor: number;
  readonly eventTime: number;
  readonly card?: string;
  readonly authStatus?: AuthStatus;
  /** Remote channels come from a device; by default the account's newest one. */
  readonly deviceId?: string;
}

export function transactionOf(payment: Payment): Transaction {
  const { account, merchant } = payment;
  const channel = merchant.category.channel;
  const remote = !isCardPresent(channel);
  return {
    transactionId: payment.transactionId,
    accountId: account.id,
    cardId: payment.card ?? account.cards[0]!,
    merchantId: merchant.id,
    mcc: merchant.category.mcc,
    amountMinor: payment.amountMinor,
    currency: account.profile.currency,
    country: merchant.city.country,
    lat: merchant.lat,
    lon: merchant.lon,
    channel,
    deviceId: remote ? (payment.deviceId ?? account.devices[account.devices.length - 1]!) : null,
    ip: remote ? account.ip : null,
    authStatus: payment.authStatus ?? 'APPROVED',
    eventTime: payment.eventTime,
  };
}

export function authEventOf(eventId: string, account: Account, type: AuthEventType, eventTime: number, deviceId?: string): AuthEvent {
  return {
    eventId,
    accountId: account.id,
    type,
    deviceId: deviceId ?? account.devices[account.devices.length - 1]!,
    ip: account.ip,
    country: account.home.country,
    eventTime,
  };
}
