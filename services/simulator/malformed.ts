// Records bound for the dead-letter queue, one kind per way input goes wrong. Each kind names the
// reason the scorer is expected to give, so a test can match the DLQ against what was injected.
import type { Transaction } from '../../schemas/types';
import { HEADER_LENGTH } from '../shared/serde/wire-format';
import { categoryOf } from './catalog';
import { transactionOf } from './payments';
import type { Account, Ids, Merchants } from './population';
import type { Random } from './random';
import { transactionRecord, type SimRecord } from './records';

export const MALFORMED_KINDS = {
  /** Valid Avro behind a magic byte of 1. */
  'wrong-magic-byte': 'BAD_MAGIC_BYTE',
  /** The transaction as JSON text: not framed at all. */
  'not-avro': 'BAD_MAGIC_BYTE',
  'unknown-schema-id': 'UNKNOWN_SCHEMA_ID',
  /** The body cut in half. */
  'truncated-body': 'TRUNCATED',
  /** A valid record followed by bytes that belong to no record. */
  'trailing-garbage': 'INVALID_BODY',
  'missing-key': 'MISSING_KEY',
  'negative-amount': 'INVALID_AMOUNT',
  'unknown-currency': 'UNKNOWN_CURRENCY',
  /** Ten years ahead: accepting it would drag the watermark into the future. */
  'future-event-time': 'EVENT_TIME_TOO_FAR_AHEAD',
} as const;

export type MalformedKind = keyof typeof MALFORMED_KINDS;
export type ExpectedDeadLetterReason = (typeof MALFORMED_KINDS)[MalformedKind];

const KINDS = Object.keys(MALFORMED_KINDS) as MalformedKind[];
/** No registry hands out ids this high. */
const UNKNOWN_SCHEMA_ID = 0x7ffffff0;
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

/** Cycles through the kinds, so that a run with N malformed records holds every kind about N/9 times. */
export class MalformedRecords {
  readonly #random: Random;
  readonly #ids: Ids;
  readonly #account: Account;
  readonly #merchants: Merchants;
  #count = 0;

  /** `account` is dedicated: a scorer that wrongly accepted an absurd value would disturb nobody else. */
  constructor(random: Random, ids: Ids, account: Account, merchants: Merchants) {
    this.#random = random;
    this.#ids = ids;
    this.#account = account;
    this.#merchants = merchants;
  }

  next(at: number): SimRecord {
    const kind = KINDS[this.#count % KINDS.length]!;
    const transaction = transactionOf({
      transactionId: this.#ids.event('bad', ++this.#count),
      account: this.#account,
      merchant: this.#merchants.pick(this.#random, categoryOf('5411'), this.#account.home),
      amountMinor: this.#random.int(1_000, 9_000),
      eventTime: at,
    });
    // The record timestamp stays `at` even for a future event time: Kafka refuses timestamps more
    // than an hour ahead (log.message.timestamp.after.max.ms), and the record would never arrive.
    const record = { ...transactionRecord(absurd(kind, transaction), 'malformed'), timestamp: at, malformed: kind };
    return kind === 'missing-key' ? { ...record, key: null } : record;
  }
}

function absurd(kind: MalformedKind, transaction: Transaction): Transaction {
  switch (kind) {
    case 'negative-amount':
      return { ...transaction, amountMinor: -transaction.amountMinor };
    case 'unknown-currency':
      return { ...transaction, currency: 'ZZZ' };
    case 'future-event-time':
      return { ...transaction, eventTime: transaction.eventTime + TEN_YEARS_MS };
    default:
      return transaction;
  }
}

/** The bytes to publish for a record whose Confluent-framed encoding is `framed`. */
export function corruptBytes(kind: MalformedKind, framed: Buffer, value: unknown): Buffer {
  switch (kind) {
    case 'wrong-magic-byte': {
      const bytes = Buffer.from(framed);
      bytes[0] = 1;
      return bytes;
    }
    case 'not-avro':
      return Buffer.from(JSON.stringify(value));
    case 'unknown-schema-id': {
      const bytes = Buffer.from(framed);
      bytes.writeInt32BE(UNKNOWN_SCHEMA_ID, 1);
      return bytes;
    }
    case 'truncated-body':
      return framed.subarray(0, HEADER_LENGTH + Math.floor((framed.length - HEADER_LENGTH) / 2));
    case 'trailing-garbage':
      return Buffer.concat([framed, Buffer.from('garbage', 'ascii')]);
    default:
      return framed;
  }
}
