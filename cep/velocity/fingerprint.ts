import type { Transaction } from '../../schemas/types';

// 53-bit hashes (cyrb53's mixing, public domain) of transaction ids and bodies, kept with each recent
// event so that a repeated transaction id is found and judged without keeping its strings: at 2^53
// values, two different ids or bodies of one account share a hash about never.

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** Running state of one hash: two 32-bit lanes. */
class Hasher {
  h1 = 0;
  h2 = 0;

  reset(seed: number): this {
    this.h1 = 0xdeadbeef ^ seed;
    this.h2 = 0x41c6ce57 ^ seed;
    return this;
  }

  word(value: number): this {
    this.h1 = Math.imul(this.h1 ^ value, 2654435761);
    this.h2 = Math.imul(this.h2 ^ value, 1597334677);
    return this;
  }

  /** The string's code units, then its length, so that ("ab", "c") and ("a", "bc") differ. */
  text(value: string | null): this {
    if (value === null) return this.word(0x9e3779b9);
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    return this.word(value.length);
  }

  number(value: number): this {
    float[0] = value;
    return this.word(words[0]!).word(words[1]!);
  }

  finish(): number {
    let { h1, h2 } = this;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

const hasher = new Hasher();

/** A 53-bit hash of a transaction id. */
export function transactionIdHash(transactionId: string): number {
  return hasher.reset(1).text(transactionId).finish();
}

/**
 * A 53-bit hash of the fields of a transaction that a recent event does not keep as it is: with the
 * event's time, amount, merchant, country, decline and card (and its account, the key), it tells
 * whether two transactions have the same body. Hashing only these keeps the long ids out of it.
 */
export function transactionFingerprint(tx: Transaction): number {
  return hasher.reset(2).text(tx.mcc).text(tx.currency).number(tx.lat).number(tx.lon).text(tx.channel).text(tx.deviceId).text(tx.ip).finish();
}
