import type { AccountProfile } from '../../schemas/types';
import type { RowFields } from '../state/key-rows';
import type { KeyedStateStore } from '../state/keyed-state';
import { decodeProfile, encodeProfile } from './profile-codec';

/** Construction options of a {@link ProfileJoin}. */
export interface ProfileJoinOptions {
  /** How far behind the watermark a late transaction still gets the exact profile version. */
  readonly allowedLatenessMs: number;
}

/**
 * Temporal join of transactions with versioned account profiles: a transaction at t sees the
 * newest version with `updatedAt <= t`, or null (an unknown account, a defined outcome).
 * A profile input's event time is its `updatedAt`.
 *
 * Retention: a record decided at `asOf` (its event time when on time, the watermark when late)
 * asks for time `max(t, asOf - allowedLateness)`; `asOf` never decreases, so of the versions at
 * or before `asOf - allowedLateness` only the newest can still be an answer and older ones are
 * dropped. A late transaction further behind than the allowed lateness therefore gets the version
 * valid at the lateness horizon (its caller flags it), and the answer stays a function of the
 * processing sequence rather than of when pruning ran.
 */
export class ProfileJoin {
  readonly #store: KeyedStateStore;
  readonly #allowedLatenessMs: number;
  /**
   * A key's versions are two fields of its reference row, its newest one and an array of the
   * older ones still retained, oldest first (undefined for most keys), with the newest one's
   * `updatedAt` in a float field: a transaction at or after the newest version, the common case,
   * is answered from the key's rows without touching the version.
   */
  readonly #refs: RowFields<unknown[]>;
  readonly #versionsAt: number;
  readonly #newestUpdatedAt: RowFields<Float64Array>;
  readonly #newestUpdatedAtAt: number;
  /** One instance per distinct value of a profile's low-cardinality strings (countries, tiers, currencies). */
  readonly #canonical = new Map<string, string>();

  constructor(store: KeyedStateStore, options: ProfileJoinOptions) {
    this.#store = store;
    this.#allowedLatenessMs = options.allowedLatenessMs;
    this.#newestUpdatedAt = store.rows.floats;
    this.#newestUpdatedAtAt = store.rows.floats.claim(1);
    this.#refs = store.rows.refs;
    this.#versionsAt = store.rows.refs.claim(2);
    store.registerColumns({
      name: 'profile.versions',
      version: 1,
      grow: () => {},
      isEmpty: (key) => this.#newest(key) === undefined,
      encode: (key, out) => {
        const versions = this.#versions(key);
        out.uvarint(versions.length);
        for (const profile of versions) encodeProfile(profile, out);
      },
      decode: (key, input) => {
        const versions: AccountProfile[] = [];
        for (let count = input.uvarint(); count > 0; count--) versions.push(decodeProfile(input));
        this.#setVersions(key, versions);
      },
      clear: (key) => this.#setVersions(key, []),
    });
  }

  /**
   * Stores a profile version (replacing one with the same `updatedAt`: the later record wins)
   * and returns the version it succeeds, the one valid just before it, or null.
   */
  onProfile(key: number, profile: AccountProfile, asOf: number): AccountProfile | null {
    const newest = this.#newest(key);
    // The common case, a version newer than any and already at or behind the retention horizon:
    // it is the only one left to keep, so the general path below would drop every other.
    if ((newest === undefined || profile.updatedAt > newest.updatedAt) && profile.updatedAt <= asOf - this.#allowedLatenessMs) {
      this.#setVersions(key, [this.#retained(profile, this.#store.keyOf(key))]);
      return newest ?? null;
    }
    const versions = this.#versions(key);
    const at = newestAtOrBefore(versions, profile.updatedAt);
    const replaces = at >= 0 && versions[at]!.updatedAt === profile.updatedAt;
    const previous = (replaces ? versions[at - 1] : versions[at]) ?? null;
    const kept = this.#retained(profile, this.#store.keyOf(key));
    if (replaces) versions[at] = kept;
    else versions.splice(at + 1, 0, kept);
    const stale = newestAtOrBefore(versions, asOf - this.#allowedLatenessMs);
    if (stale > 0) versions.splice(0, stale);
    this.#setVersions(key, versions);
    return previous;
  }

  lookup(key: number, time: number, asOf: number): AccountProfile | null {
    const target = Math.max(time, asOf - this.#allowedLatenessMs);
    if (target >= this.#newestUpdatedAt.values[key * this.#newestUpdatedAt.width + this.#newestUpdatedAtAt]!) return this.#newest(key) ?? null;
    const older = this.#older(key);
    if (older === undefined) return null;
    const at = newestAtOrBefore(older, target);
    return at >= 0 ? older[at]! : null;
  }

  #newest(key: number): AccountProfile | undefined {
    return this.#refs.values[key * this.#refs.width + this.#versionsAt] as AccountProfile | undefined;
  }

  #older(key: number): AccountProfile[] | undefined {
    return this.#refs.values[key * this.#refs.width + this.#versionsAt + 1] as AccountProfile[] | undefined;
  }

  /** The key's versions, oldest first, as a new array. */
  #versions(key: number): AccountProfile[] {
    const newest = this.#newest(key);
    if (newest === undefined) return [];
    return [...(this.#older(key) ?? []), newest];
  }

  #setVersions(key: number, versions: readonly AccountProfile[]): void {
    const newest = versions.at(-1);
    const row = key * this.#refs.width + this.#versionsAt;
    this.#refs.values[row] = newest;
    // An exact-size copy, or none: an array grown by splice keeps room for 16 more versions.
    this.#refs.values[row + 1] = versions.length > 1 ? versions.slice(0, -1) : undefined;
    this.#newestUpdatedAt.values[key * this.#newestUpdatedAt.width + this.#newestUpdatedAtAt] = newest?.updatedAt ?? 0;
  }

  /**
   * The version as the join keeps it, possibly for the account's lifetime, which is most of a
   * key's heap: a decoder allocates every string of every record anew, so the account id is taken
   * from the key and the low-cardinality strings from a per-task table; and a fresh literal holds
   * every field in the object itself, where a decoded record may have grown a separate property
   * array.
   */
  #retained(profile: AccountProfile, key: string): AccountProfile {
    return {
      accountId: profile.accountId === key ? key : profile.accountId,
      updatedAt: profile.updatedAt,
      homeCountry: this.#canonicalOf(profile.homeCountry),
      homeLat: profile.homeLat,
      homeLon: profile.homeLon,
      riskTier: this.#canonicalOf(profile.riskTier),
      creditLimitMinor: profile.creditLimitMinor,
      currency: this.#canonicalOf(profile.currency),
      emailFingerprint: profile.emailFingerprint,
      phoneFingerprint: profile.phoneFingerprint,
      openedAt: profile.openedAt,
    };
  }

  #canonicalOf<T extends string>(value: T): T {
    const known = this.#canonical.get(value) as T | undefined;
    if (known !== undefined) return known;
    // Bounded, so that garbage in these fields cannot grow the table without limit.
    if (this.#canonical.size < CANONICAL_LIMIT) this.#canonical.set(value, value);
    return value;
  }
}

const CANONICAL_LIMIT = 4_096;

/** Index of the newest version with updatedAt <= time, or -1. Versions are few and sorted. */
function newestAtOrBefore(versions: readonly AccountProfile[], time: number): number {
  let at = versions.length - 1;
  while (at >= 0 && versions[at]!.updatedAt > time) at--;
  return at;
}
