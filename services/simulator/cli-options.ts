// The simulator's command line: flags, their environment fallbacks and the usage text.
import { parseArgs } from 'node:util';
import { parseDuration, parseTime } from '../shared/cli';
import { DEFAULT_FRAUD_RATE, MAX_FRAUD_RATE, type SimulationOptions } from './options';

export const USAGE = `Usage: npm run simulate -- [options]

Publishes synthetic payments, profiles and auth events (Avro, through the Schema Registry), with
labelled fraud, to Kafka: the rule scenarios and near-misses, and fraudster behaviours with their
legitimate look-alikes; or, with --out, into a recording file for npm run backtest. Prints a JSON
summary on stdout.

  --out FILE                write a recording (docs/backtesting.md) instead of publishing; no broker needed
  --brokers host:port,...   Kafka brokers (env KAFKA_BROKERS, default 127.0.0.1:9092)
  --registry url            Schema Registry (env SCHEMA_REGISTRY_URL, default http://127.0.0.1:8081)
  --rate n                  payments per second; 0 = as fast as possible (default 500)
  --count n                 baseline payments (default 10000)
  --duration d              event time to cover instead of a count: 90s, 15m, 2h, 7d
  --event-rate n            payments per second of event time (default: the rate, or 100 with --rate 0)
  --seed s                  seed; the same seed publishes the same bytes (default 42)
  --start t                 event time of the first payment: ISO time, epoch ms or "now" (default 2026-03-02T06:00:00Z)
  --accounts n              baseline accounts (default 60 x the event rate, at least 1000)
  --partitions n            partitions of the topics it creates (default 4)
  --mix m                   rules (the rule scenarios), behavioural (fraudster behaviours and their
                            look-alikes) or both (default both)
  --fraud-rate n            behavioural fraud instances per 10,000 baseline payments, 0 to ${MAX_FRAUD_RATE}
                            (default ${DEFAULT_FRAUD_RATE}: about 0.2% of the payments are fraud)
  --scenarios n             instances of every scenario and near-miss (default 1)
  --scenario-order o        shuffled, or shortest-first: rounds of every kind, quickest first (default shuffled)
  --late-ratio f            fraction of ordinary and behavioural payments published late (default 0.002)
  --malformed n             malformed records for the dead-letter queue (default 0)
  --out-of-order-ms n       shuffle window, below the bound (default 2000)
  --bound-ms n              the scorer's out-of-orderness bound (default 5000)
  --namespace ns            prefix of every topic name, e.g. to share a broker (default none)
  --help                    this text
`;

export interface CliSettings {
  readonly help: boolean;
  /** Write a recording to this file instead of publishing to Kafka. */
  readonly out: string | undefined;
  readonly brokers: string;
  readonly registryUrl: string;
  readonly options: SimulationOptions;
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, now: () => number = Date.now): CliSettings {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      brokers: { type: 'string' },
      registry: { type: 'string' },
      rate: { type: 'string' },
      count: { type: 'string' },
      duration: { type: 'string' },
      'event-rate': { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      accounts: { type: 'string' },
      partitions: { type: 'string' },
      mix: { type: 'string' },
      'fraud-rate': { type: 'string' },
      scenarios: { type: 'string' },
      'scenario-order': { type: 'string' },
      'late-ratio': { type: 'string' },
      malformed: { type: 'string' },
      'out-of-order-ms': { type: 'string' },
      'bound-ms': { type: 'string' },
      namespace: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.out !== undefined && (values.brokers !== undefined || values.registry !== undefined)) throw new Error('--out writes a file: it takes no --brokers or --registry');
  if (values.count !== undefined && values.duration !== undefined) throw new Error('give --count or --duration, not both');
  if (values.mix === 'rules' && values['fraud-rate'] !== undefined) throw new Error('--fraud-rate is the behavioural fraud: give --mix behavioural or both');
  if (values.mix === 'behavioural' && (values.scenarios !== undefined || values['scenario-order'] !== undefined)) {
    throw new Error('--scenarios and --scenario-order are the rule scenarios: give --mix rules or both');
  }
  const number = (name: keyof typeof values) => {
    const text = values[name];
    if (text === undefined) return undefined;
    const parsed = Number(text);
    if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got "${String(text)}"`);
    return parsed;
  };
  return {
    help: values.help === true,
    out: values.out,
    brokers: values.brokers ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    registryUrl: values.registry ?? env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081',
    options: {
      rate: number('rate'),
      count: number('count'),
      durationMs: values.duration === undefined ? undefined : parseDuration(values.duration),
      eventRate: number('event-rate'),
      seed: values.seed,
      start: values.start === undefined ? undefined : parseTime(values.start, now, '--start'),
      accounts: number('accounts'),
      partitions: number('partitions'),
      // resolveOptions refuses any other value of these two, naming the ones it takes.
      mix: values.mix as SimulationOptions['mix'],
      fraudRate: number('fraud-rate'),
      scenarios: number('scenarios'),
      scenarioOrder: values['scenario-order'] as SimulationOptions['scenarioOrder'],
      lateRatio: number('late-ratio'),
      malformed: number('malformed'),
      outOfOrderMs: number('out-of-order-ms'),
      boundMs: number('bound-ms'),
      namespace: values.namespace,
    },
  };
}
