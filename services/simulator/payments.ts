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
  /** Remote channels come from an address; by default the account's own. */
  readonly ip?: string;
  /**
   * Money in rather than out. The schema has no direction, so a credit is a TRANSFER recorded on the
   * receiving account without device or address: nothing on the account's side initiated it.
   */
  readonly credit?: boolean;
}

export function transactionOf(payment: Payment): Transaction {
  const { account, merchant } = payment;
  const channel = merchant.category.channel;
  if (payment.credit && channel !== 'TRANSFER') throw new Error(`a credit is a TRANSFER, not ${channel} (MCC ${merchant.category.mcc})`);
  const initiated = !isCardPresent(channel) && !payment.credit;
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
    deviceId: initiated ? (payment.deviceId ?? account.devices[account.devices.length - 1]!) : null,
    ip: initiated ? (payment.ip ?? account.ip) : null,
    authStatus: payment.authStatus ?? 'APPROVED',
    eventTime: payment.eventTime,
  };
}

/** Where a login comes from; by default the account's own address in its home country. */
export interface AuthOrigin {
  readonly ip: string;
  readonly country: string;
}

export function authEventOf(eventId: string, account: Account, type: AuthEventType, eventTime: number, deviceId?: string, origin?: AuthOrigin): AuthEvent {
  return {
    eventId,
    accountId: account.id,
    type,
    deviceId: deviceId ?? account.devices[account.devices.length - 1]!,
    ip: origin?.ip ?? account.ip,
    country: origin?.country ?? account.home.country,
    eventTime,
  };
}
