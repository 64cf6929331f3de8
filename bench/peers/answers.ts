// What a peer run answers, computed the same way by every engine (Answers.java is the Flink side),
// so that two runs agree only if every payment got the same features, profile and rule hits.
//
// The feature checksum is order-free, as engines emit payments of different keys in different
// orders: the 32-bit sum of one hash per payment. A payment's hash is FNV-1a over its transaction
// id's UTF-16 code units, then over each value below as two 32-bit halves (low, then high, the
// high half by floor division, as Java's `v >> 32`), finished with MurmurHash3's fmix32. Values in
// order: account and card velocity (count, sumMinor, maxMinor, distinctMerchants,
// distinctCountries, declines, msSincePrevious or -1), session (events, sumMinor,
// distinctMerchants, distinctDevices, startedAt), and the joined profile's updatedAt or -1.
import type { Alert, ScoredTransaction, VelocityFeatures } from '../../schemas/types';
import { transactionAlertId } from '../../cep/rules';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_32 = 4294967296;

function mix(hash: number, value: number): number {
  const low = Math.imul(hash ^ (value | 0), FNV_PRIME);
  return Math.imul(low ^ (Math.floor(value / TWO_32) | 0), FNV_PRIME);
}

function mixVelocity(hash: number, v: VelocityFeatures): number {
  let h = mix(hash, v.count);
  h = mix(h, v.sumMinor);
  h = mix(h, v.maxMinor);
  h = mix(h, v.distinctMerchants);
  h = mix(h, v.distinctCountries);
  h = mix(h, v.declines);
  return mix(h, v.msSincePrevious ?? -1);
}

function fmix32(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One payment's hash, as the module comment describes. */
export function paymentHash(scored: ScoredTransaction): number {
  const id = scored.transaction.transactionId;
  let h = FNV_OFFSET;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  const { account, card, session } = scored.features;
  h = mixVelocity(h, account);
  h = mixVelocity(h, card);
  h = mix(h, session.events);
  h = mix(h, session.sumMinor);
  h = mix(h, session.distinctMerchants);
  h = mix(h, session.distinctDevices);
  h = mix(h, session.startedAt);
  h = mix(h, scored.profile?.updatedAt ?? -1);
  return fmix32(h);
}

/** Hits of one rule: on scored payments, and as account-level alerts (a match completed by no payment). */
export interface RuleTally {
  payments: number;
  accountAlerts: number;
}

/** The answers of one run, accumulated output by output. */
export class Answers {
  payments = 0;
  #checksum = 0;
  readonly rules = new Map<string, RuleTally>();

  onScored(scored: ScoredTransaction): void {
    this.payments++;
    this.#checksum = (this.#checksum + paymentHash(scored)) | 0;
    for (let i = 0; i < scored.ruleHits.length; i++) this.#tally(scored.ruleHits[i]!.ruleId).payments++;
  }

  /** A payment's own alert repeats its hits: only account-level alerts count. */
  onAlert(alert: Alert): void {
    if (alert.transactionId !== null && alert.alertId === transactionAlertId(alert.transactionId)) return;
    for (const hit of alert.ruleHits) this.#tally(hit.ruleId).accountAlerts++;
  }

  #tally(ruleId: string): RuleTally {
    let tally = this.rules.get(ruleId);
    if (tally === undefined) this.rules.set(ruleId, (tally = { payments: 0, accountAlerts: 0 }));
    return tally;
  }

  /** As JSON: the checksum as 8 hex digits, rules by id in sorted order. */
  toJSON(): { payments: number; featureChecksum: string; ruleHits: Record<string, RuleTally> } {
    const ruleHits = Object.fromEntries([...this.rules.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { payments: this.payments, featureChecksum: (this.#checksum >>> 0).toString(16).padStart(8, '0'), ruleHits };
  }
}
