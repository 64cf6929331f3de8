// The synthetic world: accounts (home, cards, devices, profile) and the merchants they pay.
import type { AccountProfile, RiskTier } from '../../schemas/types';
import { CATEGORIES, type Category } from './catalog';
import { CITIES, pointNear, type City } from './geo';
import type { Random } from './random';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Shops, ATMs and addresses lie within this radius of the city centre. */
export const CITY_RADIUS_KM = 15;

export interface Merchant {
  readonly id: string;
  readonly category: Category;
  readonly city: City;
  readonly lat: number;
  readonly lon: number;
}

export interface Account {
  readonly id: string;
  readonly home: City;
  readonly cards: readonly string[];
  /** Grows when the account logs in from a new device. */
  readonly devices: string[];
  readonly ip: string;
  /** The newest published profile version; a change publishes a new version. */
  profile: AccountProfile;
}

export interface AccountSpec {
  readonly home?: City;
  readonly riskTier?: RiskTier;
  readonly creditLimitMinor?: number;
  readonly openedAt?: number;
  /** When the first published profile version takes effect. */
  readonly profileSince?: number;
  readonly cards?: number;
}

/** Names every generated entity after the seed, so runs with different seeds never share ids. */
export class Ids {
  readonly #tag: string;
  readonly #events = new Map<string, number>();
  #accounts = 0;
  #merchants = 0;

  constructor(seed: string | number) {
    this.#tag = String(seed).replace(/[^A-Za-z0-9]/g, '');
  }

  account(): string {
    return `acc-${this.#tag}-${String(++this.#accounts).padStart(6, '0')}`;
  }

  merchant(): string {
    return `mer-${this.#tag}-${String(++this.#merchants).padStart(5, '0')}`;
  }

  /** Sequence-numbered ids of events of one kind (tx, auth). */
  event(kind: string, sequence: number): string {
    return `${kind}-${this.#tag}-${String(sequence).padStart(8, '0')}`;
  }

  /**
   * The next id of the kind in one sequence shared by every generator that calls it: ordinary
   * payments and behavioural fraud are numbered alike, so an id tells nothing about its origin.
   */
  nextEvent(kind: string): string {
    const sequence = (this.#events.get(kind) ?? 0) + 1;
    this.#events.set(kind, sequence);
    return this.event(kind, sequence);
  }

  /** One instance of a scenario or behaviour (`kind`), numbered within the run: its labels name it. */
  instance(kind: string, sequence: number): string {
    return `${kind}-${this.#tag}-${String(sequence).padStart(6, '0')}`;
  }

  /** Events of an injected scenario, numbered within it: its labels name them. */
  scenarioEvent(kind: string, scenario: number, step: number): string {
    return `${kind}-${this.#tag}-s${String(scenario).padStart(4, '0')}-${String(step).padStart(2, '0')}`;
  }
}

const RISK_TIERS: ReadonlyArray<{ tier: RiskTier; weight: number; limits: [number, number] }> = [
  { tier: 'LOW', weight: 70, limits: [500_000, 2_000_000] },
  { tier: 'MEDIUM', weight: 25, limits: [300_000, 1_000_000] },
  { tier: 'HIGH', weight: 5, limits: [200_000, 500_000] },
];

export function newDevice(random: Random): string {
  return `dev-${random.hex(10)}`;
}

export function newFingerprint(random: Random): string {
  return random.hex(16);
}

export function newIp(random: Random): string {
  return `${random.int(11, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/** An account and its first profile version, valid from before the run starts. */
export function createAccount(random: Random, ids: Ids, start: number, spec: AccountSpec = {}): Account {
  const id = ids.account();
  const home = spec.home ?? random.weighted(CITIES, (c) => c.weight);
  const tier = spec.riskTier ? RISK_TIERS.find((t) => t.tier === spec.riskTier)! : random.weighted(RISK_TIERS, (t) => t.weight);
  const [low, high] = tier.limits;
  const address = pointNear(home, CITY_RADIUS_KM, random);
  const openedAt = spec.openedAt ?? start - random.int(60, 8 * 365) * DAY_MS - random.int(0, 23) * HOUR_MS;
  // Recent by default: a snapshot taken shortly before the run, which also keeps a broker from
  // rolling a segment per record for timestamps years apart.
  const profileSince = spec.profileSince ?? start - random.int(1, 6 * 24) * HOUR_MS;
  return {
    id,
    home,
    cards: Array.from({ length: spec.cards ?? random.int(1, 2) }, (_, i) => `card-${id.slice(4)}-${i + 1}`),
    devices: [newDevice(random)],
    ip: newIp(random),
    profile: {
      accountId: id,
      updatedAt: Math.max(openedAt, profileSince),
      homeCountry: home.country,
      homeLat: address.lat,
      homeLon: address.lon,
      riskTier: tier.tier,
      creditLimitMinor: spec.creditLimitMinor ?? Math.round(random.int(low, high) / 10_000) * 10_000,
      currency: home.currency,
      emailFingerprint: newFingerprint(random),
      phoneFingerprint: newFingerprint(random),
      openedAt,
    },
  };
}

/**
 * Three shops per city and card-present category, one online merchant per city and online category.
 * Baseline online payments go to any online merchant in the world; scenarios can ask for one in a city.
 */
export class Merchants {
  readonly #inCity = new Map<string, Merchant[]>();
  readonly #online = new Map<string, Merchant[]>();

  constructor(random: Random, ids: Ids) {
    for (const category of CATEGORIES) {
      const online = category.channel === 'ECOM';
      for (const home of CITIES) {
        const merchants = Array.from({ length: online ? 1 : 3 }, () => this.#create(random, ids, category, home));
        this.#inCity.set(`${home.name}/${category.mcc}`, merchants);
        if (online) this.#online.set(category.mcc, [...(this.#online.get(category.mcc) ?? []), ...merchants]);
      }
    }
  }

  /** A merchant of the category that an account living in `home` would pay. */
  pick(random: Random, category: Category, home: City): Merchant {
    return random.pick(this.#online.get(category.mcc) ?? this.located(category, home));
  }

  /** The merchants of the category located in the city (for an online category, just one). */
  located(category: Category, city: City): readonly Merchant[] {
    return this.#inCity.get(`${city.name}/${category.mcc}`)!;
  }

  #create(random: Random, ids: Ids, category: Category, at: City): Merchant {
    return { id: ids.merchant(), category, city: at, ...pointNear(at, CITY_RADIUS_KM, random) };
  }
}
