// The rule-pack benchmark's input: 1,000,000 events over 100,000 accounts (transactions, auth
// events and profile versions) from a seeded PRNG, so that every run, and every engine reading the
// workload file written from it (bench/peers), sees the same events. Fewer accounts can be asked
// for: they share the same events over a proportionally longer span (see cep-input.ts).
import type { AccountProfile, AuthEvent, AuthEventType, Channel, Transaction } from '../schemas/types';
import type { SourceRecord } from '../cep';
import { mulberry32 } from './cep-input';

export const ACCOUNTS = 100_000;
const EVENTS = 1_000_000;
const PROFILE_UPDATES = 20_000;
const AUTH_EVENTS = 80_000;
/** Accounts whose previous transaction was long ago, so the dormancy rule has something to judge. */
const DORMANT_ACCOUNTS = 1_000;
const SPAN_MS = 600_000;
export const BOUND_MS = 2_000;
const BATCH = 1_000;
const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
export const INPUTS = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'auth.events', kind: 'auth' },
  { topic: 'payments.transactions', kind: 'transaction' },
] as const;
type Input = 0 | 1 | 2;

const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES'];
const MCCS = ['5411', '5812', '5999', '4111', '5541', '5732', '7995', '6051', '4829', '5967', '7801'];
const AUTH_TYPES: readonly AuthEventType[] = ['LOGIN_SUCCESS', 'LOGIN_SUCCESS', 'LOGIN_SUCCESS', 'LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOGIN_FAILURE', 'NEW_DEVICE', 'PASSWORD_CHANGE', 'LOCKOUT'];
const CHANNELS: readonly Channel[] = ['POS', 'POS', 'POS', 'ECOM', 'ECOM', 'ECOM', 'ATM', 'TRANSFER'];

function profileOf(account: number, updatedAt: number, version: number, emailVersion: number): AccountProfile {
  return {
    accountId: `acct-${account}`,
    updatedAt,
    homeCountry: COUNTRIES[account % COUNTRIES.length]!,
    homeLat: 40 + (account % 20),
    homeLon: -5 + (account % 25),
    riskTier: 'LOW',
    creditLimitMinor: 100_000 + (account % 10) * 50_000,
    currency: 'EUR',
    emailFingerprint: `e${account.toString(16)}v${emailVersion}`,
    phoneFingerprint: `p${account.toString(16)}v${version}`,
    openedAt: T0 - 400 * DAY,
  };
}

/** Mostly everyday amounts; a few probes, large charges and very large ones, so every rule is exercised. */
function amountOf(random: () => number): number {
  const r = random();
  if (r < 0.03) return 1 + Math.floor(random() * 200);
  if (r < 0.98) return 500 + Math.floor(random() * 20_000);
  return 50_000 + Math.floor(random() * 300_000);
}

function transactionOf(random: () => number, id: string, account: number, eventTime: number): Transaction {
  const far = random() < 0.01;
  return {
    transactionId: id,
    accountId: `acct-${account}`,
    cardId: `card-${account}-${Math.floor(random() * 2)}`,
    merchantId: `m-${Math.floor(random() * 5_000)}`,
    mcc: MCCS[Math.floor(random() * random() * MCCS.length)]!,
    amountMinor: amountOf(random),
    currency: 'EUR',
    country: COUNTRIES[Math.floor(random() * random() * COUNTRIES.length)]!,
    lat: far ? -33.87 : 40 + (account % 20) + random() * 0.5,
    lon: far ? 151.21 : -5 + (account % 25) + random() * 0.5,
    channel: CHANNELS[Math.floor(random() * CHANNELS.length)]!,
    deviceId: random() < 0.5 ? null : `dev-${account}-${Math.floor(random() * 2)}`,
    ip: null,
    authStatus: random() < 0.03 ? 'DECLINED' : 'APPROVED',
    eventTime,
  };
}

/**
 * The input as compact columns in arrival order (every record arrives up to BOUND_MS / 2 after its
 * event time). Records are materialised one batch at a time, outside the timed section: a heap
 * full of a million live input records would make every full GC of the engine pay to mark them.
 */
export class RuleBenchInput {
  readonly #input: Uint8Array;
  readonly #account: Int32Array;
  readonly #eventTime: Float64Array;
  readonly #seq: Int32Array;
  readonly #order: Int32Array;
  readonly #offsets = [0, 0, 0];
  #next = 0;

  constructor(accounts: number) {
    const transactions = EVENTS - accounts - PROFILE_UPDATES - AUTH_EVENTS - DORMANT_ACCOUNTS;
    const span = SPAN_MS * (ACCOUNTS / accounts);
    const random = mulberry32(42);
    const input = new Uint8Array(EVENTS);
    const account = new Int32Array(EVENTS);
    const eventTime = new Float64Array(EVENTS);
    const arrival = new Float64Array(EVENTS);
    const seq = new Int32Array(EVENTS);
    let n = 0;
    const add = (kind: Input, acct: number, time: number, i: number): void => {
      input[n] = kind;
      account[n] = acct;
      eventTime[n] = time;
      seq[n] = i;
      arrival[n++] = time + Math.floor(random() * (BOUND_MS / 2));
    };
    const at = (i: number, of: number): number => T0 + Math.floor((i / of) * span);
    for (let acct = 0; acct < accounts; acct++) add(0, acct, T0 - accounts + acct, -1);
    for (let i = 0; i < DORMANT_ACCOUNTS; i++) add(2, Math.floor(random() * accounts), T0 - 100 * DAY - i, -1 - i);
    for (let i = 0; i < PROFILE_UPDATES; i++) add(0, Math.floor(random() * accounts), at(i, PROFILE_UPDATES), i);
    for (let i = 0; i < AUTH_EVENTS; i++) add(1, Math.floor(random() * accounts), at(i, AUTH_EVENTS), i);
    for (let i = 0; i < transactions; i++) add(2, Math.floor(random() * accounts), at(i, transactions), i);
    const order = Int32Array.from({ length: EVENTS }, (_, i) => i);
    order.sort((a, b) => arrival[a]! - arrival[b]! || a - b);
    this.#input = input;
    this.#account = account;
    this.#eventTime = eventTime;
    this.#seq = seq;
    this.#order = order;
  }

  /** The next batch of records, or undefined at the end of the input. */
  nextBatch(): SourceRecord[] | undefined {
    if (this.#next >= EVENTS) return undefined;
    const batch: SourceRecord[] = [];
    for (const end = Math.min(EVENTS, this.#next + BATCH); this.#next < end; this.#next++) {
      const i = this.#order[this.#next]!;
      const input = this.#input[i] as Input;
      const eventTime = this.#eventTime[i]!;
      const value = valueOf(input, this.#account[i]!, eventTime, this.#seq[i]!);
      batch.push({ topic: INPUTS[input].topic, partition: 0, offset: String(this.#offsets[input]!++), key: value.accountId, eventTime, value });
    }
    return batch;
  }
}

/** A record's value from its columns; its own PRNG stream, seeded by kind and sequence number, keeps it reproducible. */
function valueOf(input: Input, account: number, eventTime: number, seq: number): AccountProfile | AuthEvent | Transaction {
  const random = mulberry32((seq + 1) * 3 + input);
  switch (input) {
    case 0:
      return seq < 0 ? profileOf(account, eventTime, 0, 0) : profileOf(account, eventTime, seq + 1, random() < 0.2 ? seq + 1 : 0);
    case 1:
      return { eventId: `auth-${seq}`, accountId: `acct-${account}`, type: AUTH_TYPES[Math.floor(random() * AUTH_TYPES.length)]!, deviceId: null, ip: null, country: 'DE', eventTime };
    case 2:
      return transactionOf(random, seq < 0 ? `old-${-seq}` : `tx-${seq}`, account, eventTime);
  }
}

/** Processing time of a batch: real-time replay, so idleness behaves as in production. */
export const processingTimeOf = (batch: readonly SourceRecord[]): number => Math.max(0, (batch[batch.length - 1]!.eventTime as number) - T0);
