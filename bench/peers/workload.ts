// A benchmark workload as a file both engines read: every record in arrival order, with every field
// of its value, so that Peregrine and the Flink jobs (bench/peers/flink, Workload.java) decode
// exactly the same events. Big-endian, as java.io.DataInputStream reads: a header ("PGWL", format
// version, record count), then per record its kind (0 profile, 1 auth event, 2 transaction) and
// its value's fields in schema order; text as a 16-bit byte length and UTF-8 (0xFFFF for null),
// times and money as 64-bit integers, coordinates as doubles. A record's offset is its position
// among the records of its kind; its key is the account id; its event time is the value's.
import { readFileSync, writeFileSync } from 'node:fs';
import type { AccountProfile, AuthEvent, Transaction } from '../../schemas/types';
import type { SourceRecord } from '../../cep';

const MAGIC = 0x50474c57; // "PGWL"
const VERSION = 1;
const NULL_TEXT = 0xffff;
export const BATCH = 1_000;

/** The topic of each record kind, by its number in the file. */
export const KIND_TOPICS = ['accounts.profiles', 'auth.events', 'payments.transactions'] as const;
const PROFILE = 0;
const AUTH = 1;
const TRANSACTION = 2;

class Writer {
  #buffer = Buffer.alloc(1 << 24);
  #at = 0;

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const grown = Buffer.alloc(Math.max(this.#buffer.length * 2, this.#at + bytes));
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }

  u8(value: number): void {
    this.#room(1);
    this.#at = this.#buffer.writeUInt8(value, this.#at);
  }

  u32(value: number): void {
    this.#room(4);
    this.#at = this.#buffer.writeUInt32BE(value, this.#at);
  }

  i64(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`${value} is not a whole number of the workload format`);
    this.#room(8);
    this.#at = this.#buffer.writeBigInt64BE(BigInt(value), this.#at);
  }

  f64(value: number): void {
    this.#room(8);
    this.#at = this.#buffer.writeDoubleBE(value, this.#at);
  }

  text(value: string | null): void {
    if (value === null) {
      this.#room(2);
      this.#at = this.#buffer.writeUInt16BE(NULL_TEXT, this.#at);
      return;
    }
    const bytes = Buffer.byteLength(value);
    if (bytes >= NULL_TEXT) throw new Error(`text of ${bytes} bytes is too long for the workload format`);
    this.#room(2 + bytes);
    this.#at = this.#buffer.writeUInt16BE(bytes, this.#at);
    this.#at += this.#buffer.write(value, this.#at);
  }

  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#at);
  }
}

/** Writes the records `batches` yields, in that order, to `path`. Returns how many were written. */
export function writeWorkload(path: string, batches: Iterable<readonly SourceRecord[]>): number {
  const body = new Writer();
  let count = 0;
  for (const batch of batches) {
    for (const record of batch) {
      writeRecord(body, record);
      count++;
    }
  }
  const header = new Writer();
  header.u32(MAGIC);
  header.u32(VERSION);
  header.u32(count);
  writeFileSync(path, Buffer.concat([header.bytes(), body.bytes()]));
  return count;
}

function writeRecord(out: Writer, record: SourceRecord): void {
  const kind = KIND_TOPICS.indexOf(record.topic as (typeof KIND_TOPICS)[number]);
  if (kind < 0) throw new Error(`the workload format has no record kind for topic ${record.topic}`);
  out.u8(kind);
  switch (kind) {
    case PROFILE: {
      const p = record.value as AccountProfile;
      out.text(p.accountId);
      out.i64(p.updatedAt);
      out.text(p.homeCountry);
      out.f64(p.homeLat);
      out.f64(p.homeLon);
      out.text(p.riskTier);
      out.i64(p.creditLimitMinor);
      out.text(p.currency);
      out.text(p.emailFingerprint);
      out.text(p.phoneFingerprint);
      out.i64(p.openedAt);
      return;
    }
    case AUTH: {
      const a = record.value as AuthEvent;
      out.text(a.eventId);
      out.text(a.accountId);
      out.text(a.type);
      out.text(a.deviceId);
      out.text(a.ip);
      out.text(a.country);
      out.i64(a.eventTime);
      return;
    }
    case TRANSACTION: {
      const t = record.value as Transaction;
      out.text(t.transactionId);
      out.text(t.accountId);
      out.text(t.cardId);
      out.text(t.merchantId);
      out.text(t.mcc);
      out.i64(t.amountMinor);
      out.text(t.currency);
      out.text(t.country);
      out.f64(t.lat);
      out.f64(t.lon);
      out.text(t.channel);
      out.text(t.deviceId);
      out.text(t.ip);
      out.text(t.authStatus);
      out.i64(t.eventTime);
    }
  }
}

/**
 * A workload file read into memory (outside the JS heap) and decoded into records one batch at a
 * time, as a consumer hands them over: a heap holding every record at once would make each full
 * collection of the engine's heap pay to mark them.
 */
export class WorkloadReader {
  readonly size: number;
  readonly batches: number;
  /** Distinct account ids (record keys) of the workload. */
  readonly accounts: number;
  readonly #bytes: Buffer;
  /** Byte position of each batch's first record, and each kind's next offset there, found by one pass over the file. */
  readonly #batchStarts: Float64Array;
  readonly #batchOffsets: number[][] = [];

  constructor(path: string) {
    this.#bytes = readFileSync(path);
    if (this.#bytes.length < 12 || this.#bytes.readUInt32BE(0) !== MAGIC) throw new Error(`${path} is not a workload file`);
    const version = this.#bytes.readUInt32BE(4);
    if (version !== VERSION) throw new Error(`${path} is workload format ${version}; this reader knows ${VERSION}`);
    this.size = this.#bytes.readUInt32BE(8);
    this.batches = Math.ceil(this.size / BATCH);
    this.#batchStarts = new Float64Array(this.batches);
    const offsets = [0, 0, 0];
    const accounts = new Set<string>();
    const decoded: SourceRecord[] = [];
    let at = 12;
    for (let index = 0; index < this.size; index++) {
      if (index % BATCH === 0) {
        this.#batchStarts[index / BATCH] = at;
        this.#batchOffsets.push([...offsets]);
      }
      try {
        at = this.#decode(at, offsets, decoded);
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_OUT_OF_RANGE') throw new Error(`${path} is cut short: record ${index + 1} of ${this.size} runs past its end`);
        throw error;
      }
      accounts.add(decoded.pop()!.key!);
    }
    this.accounts = accounts.size;
    if (at !== this.#bytes.length) throw new Error(`${path} has ${this.#bytes.length - at} bytes after its last record`);
  }

  /** Batch `index` as freshly decoded records. */
  batch(index: number): SourceRecord[] {
    const records: SourceRecord[] = [];
    const offsets = [...this.#batchOffsets[index]!];
    let at = this.#batchStarts[index]!;
    for (let n = Math.min(BATCH, this.size - index * BATCH); n > 0; n--) at = this.#decode(at, offsets, records);
    return records;
  }

  /** Where #decode reads next. */
  #at = 0;

  #text(): string | null {
    const length = this.#bytes.readUInt16BE(this.#at);
    this.#at += 2;
    if (length === NULL_TEXT) return null;
    const value = this.#bytes.toString('utf8', this.#at, this.#at + length);
    this.#at += length;
    return value;
  }

  #string(): string {
    const value = this.#text();
    if (value === null) throw new Error(`workload text at byte ${this.#at - 2} is null where a value is required`);
    return value;
  }

  #i64(): number {
    const value = Number(this.#bytes.readBigInt64BE(this.#at));
    this.#at += 8;
    return value;
  }

  #f64(): number {
    const value = this.#bytes.readDoubleBE(this.#at);
    this.#at += 8;
    return value;
  }

  /** Decodes the record at byte `start` into `into`; returns where the next starts. */
  #decode(start: number, offsets: number[], into: SourceRecord[]): number {
    this.#at = start;
    const kind = this.#bytes.readUInt8(this.#at++);
    const topic = KIND_TOPICS[kind];
    if (topic === undefined) throw new Error(`workload record at byte ${start} has unknown kind ${kind}`);
    const offset = String(offsets[kind]!++);
    let value: AccountProfile | AuthEvent | Transaction;
    if (kind === PROFILE) {
      value = {
        accountId: this.#string(),
        updatedAt: this.#i64(),
        homeCountry: this.#string(),
        homeLat: this.#f64(),
        homeLon: this.#f64(),
        riskTier: this.#string() as AccountProfile['riskTier'],
        creditLimitMinor: this.#i64(),
        currency: this.#string(),
        emailFingerprint: this.#string(),
        phoneFingerprint: this.#string(),
        openedAt: this.#i64(),
      };
    } else if (kind === AUTH) {
      value = { eventId: this.#string(), accountId: this.#string(), type: this.#string() as AuthEvent['type'], deviceId: this.#text(), ip: this.#text(), country: this.#string(), eventTime: this.#i64() };
    } else {
      value = {
        transactionId: this.#string(),
        accountId: this.#string(),
        cardId: this.#string(),
        merchantId: this.#string(),
        mcc: this.#string(),
        amountMinor: this.#i64(),
        currency: this.#string(),
        country: this.#string(),
        lat: this.#f64(),
        lon: this.#f64(),
        channel: this.#string() as Transaction['channel'],
        deviceId: this.#text(),
        ip: this.#text(),
        authStatus: this.#string() as Transaction['authStatus'],
        eventTime: this.#i64(),
      };
    }
    const eventTime = kind === PROFILE ? (value as AccountProfile).updatedAt : (value as AuthEvent | Transaction).eventTime;
    into.push({ topic, partition: 0, offset, key: value.accountId, eventTime, value });
    return this.#at;
  }
}
