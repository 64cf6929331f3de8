// The CEP benchmark's input: 1,000,000 transactions over 100,000 accounts (one card each) plus
// 120,000 profile versions, from a seeded PRNG. Fewer accounts can be asked for: they share the
// same transactions over a proportionally longer span, so that each account sees transactions at
// the same rate while the state of all of them fits in the CPU's caches. It is generated up front
// as compact columns (typed arrays, outside the JS heap) and turned into records one batch at a
// time, so the timed process does not carry ~600 MB of live records: a consumer decodes batch by
// batch too, and a heap full of input would make every full GC of the engine pay for marking it.
import type { AccountProfile, Transaction } from '../schemas/types';
import type { SourceRecord } from '../cep';

export const ACCOUNTS = 100_000;
const TRANSACTIONS = 1_000_000;
const PROFILE_UPDATES = 20_000;
const SPAN_MS = 600_000;
export const BOUND_MS = 2_000;
const BATCH = 1_000;
const T0 = 1_700_000_000_000;
export const INPUTS = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'payments.transactions', kind: 'transaction' },
] as const;
const PROFILE = 0;
const TRANSACTION = 1;
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES'];
const NO_DEVICE = -1;

/** Small seeded PRNG shared by the benchmarks, so inputs are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function profileOf(account: number, updatedAt: number, version: number): AccountProfile {
  return {
    accountId: `acct-${account}`,
    updatedAt,
    homeCountry: COUNTRIES[account % COUNTRIES.length]!,
    homeLat: 50 + (account % 10),
    homeLon: 8 + (account % 7),
    riskTier: 'LOW',
    creditLimitMinor: 500_000,
    currency: 'EUR',
    emailFingerprint: `e${account.toString(16)}v${version}`,
    phoneFingerprint: `p${account.toString(16)}`,
    openedAt: T0 - 86_400_000,
  };
}

/** One column per field, indexed by generation order; `order` lists them in arrival order. */
export class BenchInput {
  readonly accounts: number;
  readonly size: number;
  readonly batches: number;
  readonly #input: Uint8Array;
  readonly #account: Int32Array;
  readonly #eventTime: Float64Array;
  /** Profile version, or transaction number. */
  readonly #serial: Int32Array;
  readonly #merchant: Int32Array;
  readonly #amount: Int32Array;
  readonly #country: Uint8Array;
  readonly #device: Int8Array;
  readonly #declined: Uint8Array;
  /** Generation index of the record at each arrival position, and its offset in its topic. */
  readonly #order: Uint32Array;
  readonly #offset: Uint32Array;

  /** Every record arrives up to BOUND_MS / 2 after its event time; PRNG calls are in the order of the original generator. */
  constructor(accounts = ACCOUNTS) {
    this.accounts = accounts;
    this.size = accounts + PROFILE_UPDATES + TRANSACTIONS;
    this.batches = Math.ceil(this.size / BATCH);
    this.#input = new Uint8Array(this.size);
    this.#account = new Int32Array(this.size);
    this.#eventTime = new Float64Array(this.size);
    this.#serial = new Int32Array(this.size);
    this.#merchant = new Int32Array(this.size);
    this.#amount = new Int32Array(this.size);
    this.#country = new Uint8Array(this.size);
    this.#device = new Int8Array(this.size);
    this.#declined = new Uint8Array(this.size);
    this.#offset = new Uint32Array(this.size);
    const span = SPAN_MS * (ACCOUNTS / accounts);
    const random = mulberry32(42);
    const arrival = new Float64Array(this.size);
    let n = 0;
    const add = (input: number, account: number, eventTime: number, serial: number): number => {
      this.#input[n] = input;
      this.#account[n] = account;
      this.#eventTime[n] = eventTime;
      this.#serial[n] = serial;
      return n++;
    };
    const arrive = (at: number): void => {
      arrival[at] = this.#eventTime[at]! + Math.floor(random() * (BOUND_MS / 2));
    };
    for (let account = 0; account < accounts; account++) arrive(add(PROFILE, account, T0 - accounts + account, 0));
    for (let i = 0; i < PROFILE_UPDATES; i++) {
      const account = Math.floor(random() * accounts);
      arrive(add(PROFILE, account, T0 + Math.floor((i / PROFILE_UPDATES) * span), i + 1));
    }
    for (let i = 0; i < TRANSACTIONS; i++) {
      const at = add(TRANSACTION, Math.floor(random() * accounts), T0 + Math.floor((i / TRANSACTIONS) * span), i);
      this.#merchant[at] = Math.floor(random() * 5_000);
      this.#amount[at] = Math.floor(random() * 20_000);
      this.#country[at] = Math.floor(random() * random() * COUNTRIES.length);
      this.#device[at] = random() < 0.5 ? NO_DEVICE : Math.floor(random() * 2);
      this.#declined[at] = random() < 0.03 ? 1 : 0;
      arrive(at);
    }
    // A stable sort, as Array.prototype.sort is: equal arrivals keep generation order.
    this.#order = Uint32Array.from(Array.from({ length: this.size }, (_, i) => i).sort((a, b) => arrival[a]! - arrival[b]!));
    const offsets = [0, 0];
    for (let position = 0; position < this.size; position++) this.#offset[position] = offsets[this.#input[this.#order[position]!]!]!++;
  }

  /** Batch `index` as freshly allocated records, as a consumer would hand them over. */
  batch(index: number): SourceRecord[] {
    const records: SourceRecord[] = [];
    for (let position = index * BATCH; position < Math.min(this.size, (index + 1) * BATCH); position++) records.push(this.#record(position));
    return records;
  }

  /** Processing time of a batch: real-time replay, so idleness behaves as in production. */
  processingTimeOf(batch: readonly SourceRecord[]): number {
    return (batch[batch.length - 1]!.eventTime as number) - T0;
  }

  #record(position: number): SourceRecord {
    const at = this.#order[position]!;
    const input = this.#input[at]!;
    const account = this.#account[at]!;
    const eventTime = this.#eventTime[at]!;
    const key = `acct-${account}`;
    const offset = String(this.#offset[position]);
    const topic = INPUTS[input]!.topic;
    if (input === PROFILE) return { topic, partition: 0, offset, key, eventTime, value: profileOf(account, eventTime, this.#serial[at]!) };
    const device = this.#device[at]!;
    const value: Transaction = {
      transactionId: `tx-${this.#serial[at]}`,
      accountId: `acct-${account}`,
      cardId: `card-${account}`,
      merchantId: `m-${this.#merchant[at]}`,
      mcc: '5411',
      amountMinor: this.#amount[at]!,
      currency: 'EUR',
      country: COUNTRIES[this.#country[at]!]!,
      lat: 50,
      lon: 8,
      channel: 'POS',
      deviceId: device === NO_DEVICE ? null : `dev-${account}-${device}`,
      ip: null,
      authStatus: this.#declined[at] === 1 ? 'DECLINED' : 'APPROVED',
      eventTime,
    };
    return { topic, partition: 0, offset, key, eventTime, value };
  }
}
