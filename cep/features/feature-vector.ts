import type { RuleHit } from '../../schemas/types';
import type { TransactionEvent } from '../job/types';
import { distanceKm } from '../rules/geo';
import { type AccountActivity, decayed, recentFailures } from './account-activity';

/**
 * The model's view of a payment: what the job knows at the payment's event time, from inputs only
 * (labels are never an input, so training rows built by this code cannot leak the future). Each
 * entry is a column; NaN means unknown (never seen, or no profile), which tree models take as
 * missing. Amounts are taken as log(1 + minor units) or relative to the account's own, so that the
 * columns mean the same in every currency but the first.
 */
const BASE_FEATURES = [
  ['amount_log', 'log(1 + amount in minor units)'],
  ['amount_vs_account_mean', "the log amount's distance from the account's running mean, in running standard deviations (NaN for its first payment)"],
  ['amount_vs_credit_limit', 'amount over the credit limit of the profile version valid at the payment'],
  ['channel_pos', 'card present at a point of sale'],
  ['channel_ecom', 'online, card not present'],
  ['channel_atm', 'cash withdrawal'],
  ['channel_transfer', 'a transfer'],
  ['declined', 'the payment was declined by the issuer'],
  ['abroad', 'in another country than the profile home country'],
  ['home_distance_km_log', 'log(1 + km from the profile home)'],
  ['local_hour', 'hour of day at the payment place (UTC hour + longitude / 15), 0 to 24'],
  ['mcc', 'merchant category code, as a number'],
  ['account_age_days_log', 'log(1 + days since the account opened)'],
  ['risk_tier', 'LOW 0, MEDIUM 1, HIGH 2'],
  ['hours_since_profile_version_log', 'log(1 + hours since the profile version valid at the payment took effect)'],
  ['hours_since_credential_change_log', 'log(1 + hours since a password, email or phone change)'],
  ['hours_since_login_log', 'log(1 + hours since the last successful login)'],
  ['hours_since_new_device_log', 'log(1 + hours since a login from a new device)'],
  ['failed_logins_1h', 'login failures and lockouts in the hour before the payment'],
  ['hours_since_previous_payment_log', 'log(1 + hours since the account paid before)'],
  ['account_payments_log', 'log(1 + payments the account made before)'],
  ['account_1h_payments', "the account's payments before this one, each weighed by exp(-age / 1 h)"],
  ['account_1h_sum_log', 'log(1 + their amounts in minor units, weighed alike)'],
  ['account_24h_payments', "the account's payments before this one, each weighed by exp(-age / 24 h)"],
  ['account_24h_sum_log', 'log(1 + their amounts in minor units, weighed alike)'],
  ['account_60s_count', 'payments of the account in the 60 s up to this one, this one included'],
  ['account_60s_sum_log', 'log(1 + their sum)'],
  ['account_60s_max_log', 'log(1 + their largest)'],
  ['account_60s_merchants', 'distinct merchants among them'],
  ['account_60s_countries', 'distinct countries among them'],
  ['account_60s_declines', 'declined ones among them'],
  ['card_60s_count', 'payments of the card in the 60 s up to this one'],
  ['card_60s_sum_log', 'log(1 + their sum)'],
  ['card_60s_merchants', 'distinct merchants among them'],
  ['card_60s_declines', 'declined ones among them'],
  ['session_payments', 'payments of the session (no gap over 30 min)'],
  ['session_sum_log', 'log(1 + their sum)'],
  ['session_merchants', 'distinct merchants in the session'],
  ['session_devices', 'distinct devices in the session'],
  ['session_minutes', 'minutes since the session started'],
  ['unknown_account', 'no profile version valid at the payment'],
  ['late', 'the payment arrived behind the watermark'],
] as const;

/** What a column means, for a person reading an explanation; undefined for a name no vector has. */
export function describeFeature(name: string): string | undefined {
  if (name.startsWith('rule:')) return `rule ${name.slice('rule:'.length)} fired on the payment`;
  return BASE_DESCRIPTIONS.get(name);
}

const BASE_DESCRIPTIONS: ReadonlyMap<string, string> = new Map(BASE_FEATURES);

/** Columns of a pack: the base features, then one 0/1 column per rule, `rule:<id>`, in pack order. */
export interface FeatureSchema {
  /** `v1-<digest of the names>`: a model is served only on the columns it was trained on. */
  readonly version: string;
  readonly names: readonly string[];
  readonly descriptions: Readonly<Record<string, string>>;
  /** Column of each rule's indicator. */
  readonly ruleColumns: ReadonlyMap<string, number>;
}

/**
 * The feature schema for a rule pack whose rules have these ids, in pack order. Scorer and trainer must
 * build it from the same pack: a model trained on one schema version is not served on another.
 */
export function featureSchema(ruleIds: readonly string[]): FeatureSchema {
  const names = [...BASE_FEATURES.map(([name]) => name), ...ruleIds.map((id) => `rule:${id}`)];
  const descriptions: Record<string, string> = Object.fromEntries(names.map((name) => [name, describeFeature(name)!]));
  const ruleColumns = new Map(ruleIds.map((id, i) => [id, BASE_FEATURES.length + i]));
  return { version: `v1-${digest(names.join('\n'))}`, names, descriptions, ruleColumns };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const logHours = (from: number | null, to: number) => (from === null ? NaN : Math.log1p(Math.max(0, to - from) / HOUR));
const flag = (condition: boolean) => (condition ? 1 : 0);

/**
 * The payment's columns, before `activity` takes the payment in. Written straight into the vector, in
 * BASE_FEATURES order: this runs for every payment, and an intermediate array per payment showed up
 * as garbage-collection time.
 */
export function featureVector(schema: FeatureSchema, event: TransactionEvent, activity: AccountActivity, hits: readonly RuleHit[], msSincePrevious: number | null): Float32Array {
  const tx = event.value;
  const t = event.eventTime;
  const { profile, features } = event;
  const { account, card, session } = features;
  const v = new Float32Array(schema.names.length);
  const amountLog = Math.log1p(tx.amountMinor);
  let c = 0;
  v[c++] = amountLog;
  v[c++] = activity.payments === 0 ? NaN : (amountLog - activity.amountMean) / Math.max(Math.sqrt(activity.amountVariance), 0.1);
  v[c++] = profile === null || profile.creditLimitMinor <= 0 ? NaN : tx.amountMinor / profile.creditLimitMinor;
  v[c++] = flag(tx.channel === 'POS');
  v[c++] = flag(tx.channel === 'ECOM');
  v[c++] = flag(tx.channel === 'ATM');
  v[c++] = flag(tx.channel === 'TRANSFER');
  v[c++] = flag(tx.authStatus === 'DECLINED');
  v[c++] = profile === null ? NaN : flag(tx.country !== profile.homeCountry);
  v[c++] = profile === null ? NaN : Math.log1p(distanceKm(profile.homeLat, profile.homeLon, tx.lat, tx.lon));
  v[c++] = (((((t % DAY) + DAY) % DAY) / HOUR + tx.lon / 15) % 24 + 24) % 24;
  v[c++] = Number(tx.mcc);
  v[c++] = profile === null ? NaN : Math.log1p(Math.max(0, t - profile.openedAt) / DAY);
  v[c++] = profile === null ? NaN : profile.riskTier === 'LOW' ? 0 : profile.riskTier === 'MEDIUM' ? 1 : 2;
  v[c++] = profile === null ? NaN : logHours(profile.updatedAt, t);
  v[c++] = logHours(activity.lastCredentialChange, t);
  v[c++] = logHours(activity.lastLogin, t);
  v[c++] = logHours(activity.lastNewDevice, t);
  v[c++] = recentFailures(activity, t);
  v[c++] = msSincePrevious === null ? NaN : Math.log1p(msSincePrevious / HOUR);
  v[c++] = Math.log1p(activity.payments);
  v[c++] = decayed(activity, 0, false, t);
  v[c++] = Math.log1p(decayed(activity, 0, true, t));
  v[c++] = decayed(activity, 1, false, t);
  v[c++] = Math.log1p(decayed(activity, 1, true, t));
  v[c++] = account.count;
  v[c++] = Math.log1p(account.sumMinor);
  v[c++] = Math.log1p(account.maxMinor);
  v[c++] = account.distinctMerchants;
  v[c++] = account.distinctCountries;
  v[c++] = account.declines;
  v[c++] = card.count;
  v[c++] = Math.log1p(card.sumMinor);
  v[c++] = card.distinctMerchants;
  v[c++] = card.declines;
  v[c++] = session.events;
  v[c++] = Math.log1p(session.sumMinor);
  v[c++] = session.distinctMerchants;
  v[c++] = session.distinctDevices;
  v[c++] = Math.max(0, t - session.startedAt) / 60_000;
  v[c++] = flag(profile === null);
  v[c++] = flag(event.late);
  if (c !== BASE_FEATURES.length) throw new Error(`the feature vector wrote ${c} base columns of ${BASE_FEATURES.length}`);
  for (const hit of hits) {
    const column = schema.ruleColumns.get(hit.ruleId);
    if (column !== undefined) v[column] = 1;
  }
  return v;
}

/** 32 bits of FNV-1a as hex: names the column set in the version, the same on every platform. */
function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
