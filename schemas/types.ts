// Generated from schemas/*.avsc by `npm run schemas:types`. Do not edit by hand.
// Timestamps (timestamp-millis) are epoch milliseconds; money is integer minor units.

export type Channel = 'POS' | 'ECOM' | 'ATM' | 'TRANSFER';

export type AuthStatus = 'APPROVED' | 'DECLINED';

/** A card payment or transfer as the payment network saw it. Key on Kafka: accountId. */
export interface Transaction {
  transactionId: string;
  accountId: string;
  cardId: string;
  merchantId: string;
  /** ISO 18245 merchant category code, four digits (kept as text: leading zeros matter) */
  mcc: string;
  /** Amount in integer minor units of currency (cents for USD) */
  amountMinor: number;
  /** ISO 4217 alphabetic code */
  currency: string;
  /** ISO 3166-1 alpha-2 code of where the transaction happened */
  country: string;
  lat: number;
  lon: number;
  channel: Channel;
  deviceId: null | string;
  ip: null | string;
  authStatus: AuthStatus;
  eventTime: number;
}

export type RiskTier = 'LOW' | 'MEDIUM' | 'HIGH';

/** One version of an account's profile, valid from updatedAt (event time). Compacted topic, key: accountId. */
export interface AccountProfile {
  accountId: string;
  updatedAt: number;
  homeCountry: string;
  homeLat: number;
  homeLon: number;
  riskTier: RiskTier;
  creditLimitMinor: number;
  currency: string;
  /** Hash of the contact email; a change is a takeover signal */
  emailFingerprint: string;
  /** Hash of the contact phone number */
  phoneFingerprint: string;
  openedAt: number;
}

export type AuthEventType = 'LOGIN_SUCCESS' | 'LOGIN_FAILURE' | 'PASSWORD_CHANGE' | 'EMAIL_CHANGE' | 'PHONE_CHANGE' | 'NEW_DEVICE' | 'LOCKOUT';

/** A login or credential event of an account. Key on Kafka: accountId. */
export interface AuthEvent {
  eventId: string;
  accountId: string;
  type: AuthEventType;
  deviceId: null | string;
  ip: null | string;
  country: string;
  eventTime: number;
}

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface StageMatch {
  stage: string;
  eventIds: Array<string>;
  eventTimes: Array<number>;
}

/** One rule that fired for a transaction, with the evidence a reviewer needs to see why. */
export interface RuleHit {
  ruleId: string;
  severity: Severity;
  /** Score contribution in [0, 1] */
  contribution: number;
  explanation: string;
  /** Feature values the rule used, rendered as text */
  evidence: Record<string, string>;
  /** Events matched by each pattern stage, in match order */
  stages: Array<StageMatch>;
}

/** Aggregates over the key's events in (t - window, t], the event itself included */
export interface VelocityFeatures {
  count: number;
  sumMinor: number;
  maxMinor: number;
  distinctMerchants: number;
  distinctCountries: number;
  declines: number;
  msSincePrevious: null | number;
}

export interface SessionFeatures {
  events: number;
  sumMinor: number;
  distinctMerchants: number;
  distinctDevices: number;
  startedAt: number;
}

export interface Features {
  account: VelocityFeatures;
  card: VelocityFeatures;
  session: SessionFeatures;
  /** Further numeric features rules computed */
  extra: Record<string, number>;
}

export type Decision = 'APPROVE' | 'REVIEW' | 'DECLINE';

export interface FeatureContribution {
  feature: string;
  /** The feature's value; null when unknown */
  value: null | number;
  /** Its share of the score, in log-odds (see method) */
  contribution: number;
}

/** The scoring model's verdict on the payment, when a model decides */
export interface ModelScore {
  /** The model's name and the first 12 hex digits of its file's SHA-256 */
  model: string;
  /** The feature vector the model reads (cep/features) */
  featureVersion: string;
  /** The model's fraud probability, in [0, 1] */
  score: number;
  /** The rules' own noisy-OR score, for comparison */
  ruleScore: number;
  /** How the contributions were computed: tree-shap (exact Tree SHAP, for payments decided REVIEW or DECLINE), path (along the payment's path through each tree, for approved ones), weights (weight x value of a linear model), none */
  method: string;
  /** The largest contributions by magnitude, largest first */
  contributions: Array<FeatureContribution>;
}

/** The scorer's decision for one transaction: a pure function of the input log and configuration. */
export interface ScoredTransaction {
  transaction: Transaction;
  /** Newest profile version with updatedAt <= transaction time; null when the account is unknown */
  profile: null | AccountProfile;
  features: Features;
  ruleHits: Array<RuleHit>;
  /** Defined outcomes that are not rules, such as unknown-account */
  signals: Array<string>;
  /** In [0, 1] */
  score: number;
  decision: Decision;
  model: null | ModelScore;
  /** The event was behind the watermark on arrival; scored against current state */
  late: boolean;
  /** Event time the decision reflects: an on-time record is decided when the watermark reaches its own event time (every earlier event applied), so this equals its event time; a late record carries the task watermark it arrived behind */
  watermark: number;
}

/** A case for the fraud team's queue: a transaction decided REVIEW or DECLINE, or an account-level pattern (such as repeated failed logins) that completed on a non-payment event. Key: accountId. */
export interface Alert {
  /** Deterministic: derived from the transaction id, or from the rule and matched events, so a replay yields the same alert */
  alertId: string;
  accountId: string;
  /** The scored transaction, or the last transaction of an account-level match; null when the match has none */
  transactionId: null | string;
  cardId: null | string;
  amountMinor: null | number;
  currency: null | string;
  decision: Decision;
  score: number;
  ruleHits: Array<RuleHit>;
  summary: string;
  /** The model's verdict when a model decided the payment */
  model: null | ModelScore;
  /** Event time of the event that completed the decision */
  eventTime: number;
}

/** Simulator ground truth: the event completing an injected rule scenario, or one fraudulent payment of a behavioural fraud instance. On its own topic: the scorer never reads it. */
export interface FraudLabel {
  /** A rule scenario's completing event, which its rule must (or, for a near-miss, must not) flag: a transaction id, or an auth event id for account-level scenarios such as repeated failed logins. For a behavioural label, the fraudulent payment's transaction id */
  eventId: string;
  accountId: string;
  /** The rule scenario, or the fraud behaviour (card-testing, account-takeover, ...) */
  scenario: string;
  /** The rule a scenario is written for; null for a behavioural label, which no rule was written for */
  expectedRuleId: null | string;
  /** false for a near-miss that must not fire; always true for a behavioural label */
  fraud: boolean;
  eventTime: number;
  /** The instance the event belongs to: one scenario instance, or one fraudster's run of a behaviour, whose payments share it */
  instanceId: null | string;
  /** true for a label of the behavioural fraud generator, false for a rule scenario's */
  behavioural: boolean;
}

/** An input record that could not be scored, kept byte for byte with the reason. */
export interface DeadLetter {
  sourceTopic: string;
  partition: number;
  /** Kafka offset as decimal text (int64 does not fit a JS number) */
  offset: string;
  key: null | Buffer;
  value: null | Buffer;
  /** Machine-readable code, e.g. UNKNOWN_SCHEMA_ID */
  reason: string;
  detail: string;
}
