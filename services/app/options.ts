// `npm start`'s command line: flags, their environment fallbacks and the usage text. Every value is
// checked here, so a typo stops the start with a message naming the flag instead of a failure later.
import { parseArgs } from 'node:util';
import { type Env, envString } from '../shared/env';
import { parseBrokers } from '../shared/kafka';
import type { Retention } from '../shared/stream';
import { topicNames } from '../shared/topics';
import { parseDuration } from '../shared/cli';
import { DEFAULT_FRAUD_RATE, FRAUD_MIXES, MAX_FRAUD_RATE, type FraudMix } from '../simulator/options';

export const USAGE = `Usage: npm start -- [options]

Runs the whole pipeline in one process: simulator, scorer, fraud store, schema registry and
dashboard, on an in-memory log and an embedded PostgreSQL (PGlite) unless told otherwise.
One HTTP port serves the dashboard, /api, /registry, /metrics and /healthz.

  --kafka host:port,...   run on Kafka instead of the in-memory log (env KAFKA_BROKERS)
  --database-url url      PostgreSQL instead of the embedded database (env DATABASE_URL)
  --data-dir DIR          keep the embedded database in DIR across restarts (env DATA_DIR);
                          without it, it lives in memory and keeps the newest 50,000 scored payments
  --registry url          an external Schema Registry instead of the one served at /registry
                          (env SCHEMA_REGISTRY_URL)
  --port n                HTTP port, 0 for any free one (env PORT, default 3000)
  --host address          address to listen on (env HOST, default 127.0.0.1)
  --rate n                simulated payments per second (env SIMULATOR_RATE, default 25)
  --duration d            event time the simulation covers: 90s, 15m, 2h, 7d (default 1h)
  --mix m                 the fraud simulated: rules (the rule scenarios, quickest first),
                          behavioural (fraudster behaviours and their look-alikes) or both (default both)
  --fraud-rate n          behavioural fraud instances per 10,000 payments, 0 to ${MAX_FRAUD_RATE} (default ${DEFAULT_FRAUD_RATE})
  --scenarios n           instances of every fraud scenario and near-miss (default 20)
  --seed s                simulator seed (default: the start time, so every start is fresh)
  --namespace ns          prefix of every topic and consumer group, to share a broker (default none)
  --model DIR             a scoring model decides (npm run train; env MODEL), the rules otherwise
  --log-retention d       how long the in-memory log keeps a record (default 1h)
  --log-retention-bytes n the most the in-memory log keeps of a topic partition (default 4194304,
                          4 MiB); the oldest records go first, as in Kafka's retention.bytes
  --help                  this text

The scorer's event-time settings (OUT_OF_ORDERNESS_MS, IDLE_TIMEOUT_MS, ...) and LOG_LEVEL are read
from the environment as by \`npm run scorer\`.
`;

export const DEFAULT_PORT = 3000;
export const DEFAULT_RATE = 25;
export const DEFAULT_DURATION_MS = 3_600_000;
export const DEFAULT_SCENARIOS = 20;
/**
 * At most an hour, and 4 MiB a partition: at the default rate, half an hour of fraud.scored (some
 * 9 MB a partition an hour at 25 payments a second) and 45 minutes of payments.transactions. At a
 * higher rate the bytes bind first, so what the log holds stops growing within minutes, and
 * `npm start` holds about 1 GB at ten times the default rate (docs/reliability.md).
 */
export const DEFAULT_LOG_RETENTION: Retention = { ms: 3_600_000, bytes: 4 * 1_048_576 };
/** The rule scenarios keep the first alerts seconds away; behavioural fraud joins them on ordinary accounts. */
export const DEFAULT_MIX: FraudMix = 'both';

export interface AppOptions {
  /** Kafka brokers; the in-memory log when absent. */
  readonly kafka?: readonly string[];
  /** PostgreSQL; PGlite when absent, in this directory if given, in memory otherwise. */
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  /** An external registry; the embedded one mounted at /registry when absent. */
  readonly registryUrl?: string;
  readonly port: number;
  readonly host: string;
  readonly namespace: string;
  /** The model directory that decides; the rules do when absent. */
  readonly model?: string;
  /** What the in-memory log keeps of each topic. */
  readonly logRetention: Retention;
  readonly simulation: {
    readonly rate: number;
    readonly durationMs: number;
    readonly mix: FraudMix;
    readonly fraudRate: number;
    readonly scenarios: number;
    readonly seed?: string;
  };
}

export type ParsedCommandLine = { readonly help: true } | { readonly help: false; readonly options: AppOptions };

export function parseCommandLine(argv: readonly string[], env: Env): ParsedCommandLine {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      kafka: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      registry: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      mix: { type: 'string' },
      'fraud-rate': { type: 'string' },
      scenarios: { type: 'string' },
      seed: { type: 'string' },
      namespace: { type: 'string' },
      model: { type: 'string' },
      'log-retention': { type: 'string' },
      'log-retention-bytes': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true };
  if (values.mix === 'rules' && values['fraud-rate'] !== undefined) throw new Error('--fraud-rate is the behavioural fraud: give --mix behavioural or both');
  if (values.mix === 'behavioural' && values.scenarios !== undefined) throw new Error('--scenarios is the rule scenarios: give --mix rules or both');
  const pick = (flag: string | undefined, variable: string) => flag ?? (envString(env, variable, '') || undefined);
  const brokers = pick(values.kafka, 'KAFKA_BROKERS');
  const namespace = values.namespace ?? '';
  const databaseUrl = url('--database-url (DATABASE_URL)', pick(values['database-url'], 'DATABASE_URL'), ['postgres:', 'postgresql:']);
  if (databaseUrl !== undefined && values['data-dir'] !== undefined) throw new Error('--data-dir is where the embedded database lives: leave it out with --database-url');
  // Names the topics now, so that a bad namespace is refused before anything starts.
  topicNames(namespace);
  return {
    help: false,
    options: {
      kafka: brokers === undefined ? undefined : parseBrokers(brokers),
      databaseUrl,
      dataDir: pick(values['data-dir'], 'DATA_DIR'),
      registryUrl: url('--registry (SCHEMA_REGISTRY_URL)', pick(values.registry, 'SCHEMA_REGISTRY_URL'), ['http:', 'https:']),
      port: integer('--port (PORT)', pick(values.port, 'PORT'), DEFAULT_PORT, { min: 0, max: 65_535 }),
      host: pick(values.host, 'HOST') ?? '127.0.0.1',
      namespace,
      model: pick(values.model, 'MODEL'),
      logRetention: {
        ms: values['log-retention'] === undefined ? DEFAULT_LOG_RETENTION.ms : parseDuration(values['log-retention'], '--log-retention'),
        bytes: integer('--log-retention-bytes', values['log-retention-bytes'], DEFAULT_LOG_RETENTION.bytes, { min: 1, max: Number.MAX_SAFE_INTEGER }),
      },
      simulation: {
        rate: integer('--rate (SIMULATOR_RATE)', pick(values.rate, 'SIMULATOR_RATE'), DEFAULT_RATE, { min: 1, max: 100_000 }),
        durationMs: values.duration === undefined ? DEFAULT_DURATION_MS : parseDuration(values.duration),
        mix: mix(values.mix),
        fraudRate: fraudRate(values['fraud-rate']),
        scenarios: integer('--scenarios', values.scenarios, DEFAULT_SCENARIOS, { min: 0, max: 1_000 }),
        seed: values.seed,
      },
    },
  };
}

function mix(text: string | undefined): FraudMix {
  if (text === undefined) return DEFAULT_MIX;
  const found = FRAUD_MIXES.find((m) => m === text);
  if (!found) throw new Error(`--mix must be one of ${FRAUD_MIXES.join(', ')}, got "${text}"`);
  return found;
}

function fraudRate(text: string | undefined): number {
  if (text === undefined) return DEFAULT_FRAUD_RATE;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= MAX_FRAUD_RATE)) throw new Error(`--fraud-rate must be a number from 0 to ${MAX_FRAUD_RATE}, got "${text}"`);
  return value;
}

function integer(name: string, text: string | undefined, fallback: number, { min, max }: { min: number; max: number }): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

function url(name: string, text: string | undefined, protocols: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    throw new Error(`${name} must be a URL, got "${text}"`);
  }
  if (!protocols.includes(protocol)) throw new Error(`${name} must be a ${protocols.join(' or ')} URL, got "${text}"`);
  return text;
}
