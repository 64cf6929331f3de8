// The knobs of a run, their defaults, and the checks that reject a combination that could not keep
// its promises (a shuffle window the scorer would not tolerate, too few accounts for the rate).
import { MIN_PAYMENT_GAP_MS } from './baseline';
import type { ScenarioOrder } from './scenarios/plan';
import { type TopicNames, topicNames } from '../shared/topics';

/** A fixed instant, so that two runs with the same seed publish the same bytes. */
export const DEFAULT_START = Date.UTC(2026, 2, 2, 6, 0, 0);

/**
 * The fraud a run holds: `rules`, the rule scenarios and near-misses (each written from one starter
 * rule's thresholds, the rules' own tests); `behavioural`, fraudster behaviours with randomised
 * parameters and their legitimate look-alikes (written from what fraud teams see, not from any rule);
 * `both`.
 */
export type FraudMix = 'rules' | 'behavioural' | 'both';
export const FRAUD_MIXES: readonly FraudMix[] = ['rules', 'behavioural', 'both'];
/** Behavioural fraud instances per 10,000 baseline payments: about 0.2% of the payments are fraud. */
export const DEFAULT_FRAUD_RATE = 3;
/** At 100 per 10,000 about 7% of the payments are fraud: far beyond any real portfolio already. */
export const MAX_FRAUD_RATE = 100;

export interface SimulationOptions {
  /** Default 42. */
  readonly seed?: string | number;
  /** Event time of the first slot, epoch ms; default DEFAULT_START. */
  readonly start?: number;
  /** Payments per second of processing time; 0 publishes as fast as possible. Default 500. */
  readonly rate?: number;
  /** Baseline payments per second of event time; default the rate, or 100 when the rate is 0. */
  readonly eventRate?: number;
  /** Baseline payments; default 10,000 unless a duration is given. */
  readonly count?: number;
  /** Event time the baseline covers, instead of a count. */
  readonly durationMs?: number;
  /** Baseline accounts; default 60 x the event rate (at least 1,000): a payment a minute each on average. */
  readonly accounts?: number;
  /** Partitions of every topic, if the run creates them. Default 4. */
  readonly partitions?: number;
  /** Instances of each scenario and near-miss. Default 1. */
  readonly scenarios?: number;
  /** How scenario instances follow each other over the run (see ScenarioOrder). Default `shuffled`. */
  readonly scenarioOrder?: ScenarioOrder;
  /** The rule scenarios, the behavioural fraud generator, or both (see FraudMix). Default `both`. */
  readonly mix?: FraudMix;
  /** Behavioural fraud instances per 10,000 baseline payments, up to MAX_FRAUD_RATE. Default DEFAULT_FRAUD_RATE. */
  readonly fraudRate?: number;
  /** Fraction of ordinary and behavioural payments published late. Default 0.002. */
  readonly lateRatio?: number;
  /** Malformed records to inject. Default 0. */
  readonly malformed?: number;
  /** Shuffle window, below the bound. Default 2,000. */
  readonly outOfOrderMs?: number;
  /** The scorer's out-of-orderness bound: late records are published further behind. Default 5,000. */
  readonly boundMs?: number;
  /** Records per send. Default 1,000 (fewer when rate-limited, to keep the pace smooth). */
  readonly batchSize?: number;
  /** Prefix of every topic name (see services/shared/topics.ts); default none. */
  readonly namespace?: string;
}

export type SimulationConfig = Required<Omit<SimulationOptions, 'durationMs' | 'namespace'>> & {
  readonly seed: string | number;
  readonly topics: TopicNames;
};

const DEFAULTS = {
  seed: 42,
  start: DEFAULT_START,
  rate: 500,
  count: 10_000,
  partitions: 4,
  scenarios: 1,
  scenarioOrder: 'shuffled',
  mix: 'both',
  fraudRate: DEFAULT_FRAUD_RATE,
  lateRatio: 0.002,
  malformed: 0,
  outOfOrderMs: 2_000,
  boundMs: 5_000,
  batchSize: 1_000,
} as const;

const IDLE_EVENT_RATE = 100;

export function resolveOptions(options: SimulationOptions): SimulationConfig {
  const rate = options.rate ?? DEFAULTS.rate;
  const eventRate = options.eventRate ?? (rate > 0 ? rate : IDLE_EVENT_RATE);
  const count = options.durationMs !== undefined ? Math.round((options.durationMs / 1_000) * eventRate) : (options.count ?? DEFAULTS.count);
  const config: SimulationConfig = {
    ...DEFAULTS,
    ...definedOnly(options),
    rate,
    eventRate,
    count,
    accounts: options.accounts ?? Math.max(1_000, Math.ceil(60 * eventRate)),
    topics: topicNames(options.namespace),
  };
  validate(config);
  return config;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function validate(config: SimulationConfig): void {
  const problems: string[] = [];
  const nonNegative = ['rate', 'count', 'scenarios', 'malformed', 'outOfOrderMs'] as const;
  for (const name of nonNegative) {
    if (!Number.isFinite(config[name]) || config[name] < 0) problems.push(`${name} must be a number >= 0, got ${config[name]}`);
  }
  for (const name of ['eventRate', 'partitions', 'batchSize', 'boundMs', 'accounts'] as const) {
    if (!Number.isFinite(config[name]) || config[name] <= 0) problems.push(`${name} must be a number > 0, got ${config[name]}`);
  }
  for (const name of ['count', 'scenarios', 'malformed', 'partitions', 'batchSize', 'accounts'] as const) {
    if (!Number.isInteger(config[name])) problems.push(`${name} must be an integer, got ${config[name]}`);
  }
  if (!Number.isSafeInteger(config.start)) problems.push(`start must be an epoch-millisecond integer, got ${config.start}`);
  if (!(config.lateRatio >= 0 && config.lateRatio <= 1)) problems.push(`lateRatio must be in [0, 1], got ${config.lateRatio}`);
  if (config.scenarioOrder !== 'shuffled' && config.scenarioOrder !== 'shortest-first') {
    problems.push(`scenarioOrder must be "shuffled" or "shortest-first", got ${String(config.scenarioOrder)}`);
  }
  if (!FRAUD_MIXES.includes(config.mix)) problems.push(`mix must be one of ${FRAUD_MIXES.join(', ')}, got ${String(config.mix)}`);
  if (!(config.fraudRate >= 0 && config.fraudRate <= MAX_FRAUD_RATE)) {
    problems.push(`fraudRate must be in [0, ${MAX_FRAUD_RATE}] instances per 10,000 baseline payments, got ${config.fraudRate}`);
  }
  if (config.outOfOrderMs >= config.boundMs) {
    problems.push(`outOfOrderMs (${config.outOfOrderMs}) must stay below the scorer's bound boundMs (${config.boundMs})`);
  }
  // Each account pays at most once per MIN_PAYMENT_GAP_MS; half the accounts busy keeps picks cheap.
  const busy = Math.ceil((config.eventRate * MIN_PAYMENT_GAP_MS) / 1_000);
  if (config.accounts < 2 * busy) {
    problems.push(`accounts (${config.accounts}) must be at least ${2 * busy} for an event rate of ${config.eventRate}/s`);
  }
  if (problems.length > 0) throw new Error(`invalid simulation options: ${problems.join('; ')}`);
}
