// `npm run test:faults`: the pipeline's exactly-once promise under repeated failure, judged by readers
// that share none of its code (docs/reliability.md). One simulated backlog is published into a
// namespace per run of one broker; a scorer drains the first without faults, and each of the others
// with a fault injected (the scorer killed with SIGKILL again and again, one of two scorers killed,
// the registry killed, the broker or the database taken away), a fraud store writing each run's
// scored records to a database of its own. Kafka's own Java consumer then reads the outputs
// read_committed and compares them record by record, and psql compares the database with them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { createKafka, parseBrokers } from '../../services/shared/kafka';
import { createLogger } from '../../services/shared/log';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createAvroSerde } from '../../services/shared/serde';
import { type RecordLog, createKafkaLog } from '../../services/shared/stream';
import { publishFlushTail } from '../e2e/pipeline';
import { topicNames } from '../../services/shared/topics';
import { ROOT, type Service, freePort, healthy, lastFailure, metricTotal, runToEnd, sleep, startService, stopService } from './processes';
import { type DatabaseCheck, type RunDatabase, checkDatabase, createRunDatabase, storedCount } from './store';

const USAGE = `Usage: npm run test:faults -- [options]

Drains one simulated backlog without faults, then once per fault (the scorer killed by SIGKILL at
random moments, one of two scorers killed, the registry and the scorer killed, the broker stopped
for 30 s, the database unreachable for 60 s), a fraud store writing each faulty run to a database of
its own; Kafka's Java consumer compares each run's outputs with the fault-free run's (read_committed)
and psql the database with the scored records. Uses the broker at KAFKA_BROKERS, or starts its own
on port 19992, and the PostgreSQL server of DATABASE_URL. Exits 1 unless everything matches.

  --payments n   baseline payments of the backlog (default 200000)
  --kills n      SIGKILLs of the scorer during the faulty drain (default 10)
  --seed n       simulator seed, and the seed of the kill moments (default 4242)
  --short        100,000 payments and 3 kills (fewer payments drain before two scorers have
                 shared the tasks)
  --only name    run only the named faults (repeatable): kills, two-scorers, registry, broker,
                 database
  --help         this text
`;

const OWN_BROKER_PORT = 19992;
/** Far longer than the scorer's idle timeout and tick: nothing more is released after it. */
const QUIET_MS = 3_000;
const BROKER_OUTAGE_MS = 30_000;
const DATABASE_OUTAGE_MS = 60_000;
const STORE_GROUP = 'fraud-store';
const GROUP = 'peregrine-scorer';
/** Partitions of every topic the simulator creates (its default). */
const PARTITIONS = 4;
const logger = createLogger('faults', process.env.LOG_LEVEL ?? 'info', 2);

interface Settings {
  readonly payments: number;
  readonly kills: number;
  readonly seed: number;
  /** Names of the faults to run; empty for all. */
  readonly only: readonly string[];
}

function settings(argv: string[]): Settings | null {
  const { values } = parseArgs({ args: argv, options: { payments: { type: 'string' }, kills: { type: 'string' }, seed: { type: 'string' }, short: { type: 'boolean' }, only: { type: 'string', multiple: true }, help: { type: 'boolean' } } });
  if (values.help) return null;
  const int = (text: string | undefined, fallback: number, name: string) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} ${text} is not a whole number`);
    return n;
  };
  return {
    payments: int(values.payments, values.short ? 100_000 : 200_000, 'payments'),
    kills: int(values.kills, values.short ? 3 : 10, 'kills'),
    seed: int(values.seed, 4242, 'seed'),
    only: values.only ?? [],
  };
}

/** mulberry32: the kill moments of a seed are the same in every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How far the scorer's group has consumed its inputs, and whether it has consumed all of them. */
function consumed(log: RecordLog, namespace: string): Promise<{ committed: bigint; drained: boolean }> {
  const topics = topicNames(namespace);
  return groupProgress(log, `${namespace}.${GROUP}`, [topics.transactions, topics.profiles, topics.authEvents]);
}

/** How far the fraud store has stored the scorer's outputs. */
function stored(log: RecordLog, namespace: string): Promise<{ committed: bigint; drained: boolean }> {
  const topics = topicNames(namespace);
  return groupProgress(log, `${namespace}.${STORE_GROUP}`, [topics.scored, topics.alerts]);
}

async function groupProgress(log: RecordLog, group: string, topics: readonly string[]): Promise<{ committed: bigint; drained: boolean }> {
  let committed = 0n;
  let drained = true;
  for (const topic of topics) {
    const [ends, positions] = await Promise.all([log.admin.endOffsets(topic), log.admin.committedOffsets(group, topic)]);
    for (const end of ends) {
      const position = BigInt(positions.find((p) => p.partition === end.partition)?.offset ?? '0');
      committed += position;
      if (position < BigInt(end.offset)) drained = false;
    }
  }
  return { committed, drained };
}

/** Outputs written so far: their read-committed ends, summed. */
async function outputs(log: RecordLog, namespace: string): Promise<bigint> {
  const topics = topicNames(namespace);
  let total = 0n;
  for (const topic of [topics.scored, topics.alerts, topics.deadLetters]) for (const end of await log.admin.endOffsets(topic)) total += BigInt(end.offset);
  return total;
}

/**
 * Waits for the scorer to consume every input and then to release what it holds: the newest
 * payments wait out the out-of-orderness bound until the inputs are idle, after their offsets are
 * committed (with the state that holds them).
 */
async function drained(log: RecordLog, namespace: string, what: string): Promise<void> {
  await until(() => consumed(log, namespace), (c) => c.drained, what, 30 * 60_000);
  let last = -1n;
  let since = Date.now();
  await until(
    async () => {
      const now = await outputs(log, namespace);
      if (now !== last) [last, since] = [now, Date.now()];
      return Date.now() - since;
    },
    (quietMs) => quietMs >= QUIET_MS,
    `${what}: its outputs to settle`,
    5 * 60_000,
  );
}

/** Polls `probe` until `done`; a probe that fails (the broker is down) is polled again. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let failure: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`, { cause: failure });
    await sleep(100);
  }
}

/** The broker this run started, which a fault may stop and start again with its data. */
interface OwnBroker {
  stop(): void;
  restart(): void;
}

function ownBroker(port: number): OwnBroker & { start(): void } {
  const script = (name: string, env: Record<string, string> = {}) =>
    execFileSync('bash', [join(ROOT, `scripts/kafka/${name}.sh`)], { stdio: ['ignore', 2, 2], env: { ...process.env, KAFKA_PORT: String(port), ...env } });
  return { start: () => script('start'), stop: () => script('stop'), restart: () => script('start', { KAFKA_KEEP_DATA: '1' }) };
}

interface Context {
  readonly brokers: string;
  /** Null when the run uses a broker named by KAFKA_BROKERS, which it does not stop. */
  readonly broker: OwnBroker | null;
  readonly registryPort: number;
  readonly logDir: string;
  readonly log: RecordLog;
  /** The registry process; replaced when a fault restarts it. */
  registry: Service;
}

const registryUrl = (ctx: Context) => `http://127.0.0.1:${ctx.registryPort}`;

/** `npm run registry` on Kafka, as a user runs it; resolves once it answers. */
async function startRegistry(ctx: Omit<Context, 'registry'>, n: number): Promise<Service> {
  const registry = startService(`registry-${n}`, ['services/registry/main.ts'], { KAFKA_BROKERS: ctx.brokers, REGISTRY_PORT: String(ctx.registryPort) }, ctx.logDir);
  await until(() => fetch(`http://127.0.0.1:${ctx.registryPort}/subjects`).then((r) => r.ok, () => false), (ok) => ok, 'the registry to answer', 60_000);
  return registry;
}

interface Scorer extends Service {
  /** Partitions it owns now, from its /healthz; 0 while it cannot say. */
  owned(): Promise<number>;
}

async function startScorer(ctx: Context, namespace: string, n: number): Promise<Scorer> {
  const port = await freePort();
  const service = startService(`scorer-${namespace}-${n}`, ['services/scorer/main.ts'], { KAFKA_BROKERS: ctx.brokers, SCHEMA_REGISTRY_URL: registryUrl(ctx), TOPIC_NAMESPACE: namespace, SCORER_GROUP_ID: GROUP, SCORER_PORT: String(port) }, ctx.logDir);
  const owned = () =>
    fetch(`http://127.0.0.1:${port}/healthz`).then(
      async (r) => ((await r.json()) as { partitions: number[] }).partitions.length,
      () => 0,
    );
  return { ...service, owned };
}

/** What a scenario injected, how long each recovery took, and what did not recover. */
interface Outcome {
  readonly injected: number;
  readonly recoveries: number[];
  readonly problems?: string[];
}

interface StoreService extends Service {
  readonly port: number;
}

/**
 * `npm run fraud-store` on the run's namespace and database, as a user runs it, except that it keeps
 * every row: the simulator's history is dated months back, beyond the default retention, and the run
 * checks that the database holds every scored record.
 */
async function startFraudStore(ctx: Context, namespace: string, db: RunDatabase): Promise<StoreService> {
  const port = await freePort();
  const keepAll = { STORE_SCORED_RETENTION: '36500d', STORE_ALERT_RETENTION: '36500d' };
  const env = { KAFKA_BROKERS: ctx.brokers, SCHEMA_REGISTRY_URL: registryUrl(ctx), TOPIC_NAMESPACE: namespace, DATABASE_URL: db.url, FRAUD_STORE_PORT: String(port), ...keepAll };
  return { ...startService(`fraud-store-${namespace}`, ['services/fraud-store/main.ts'], env, ctx.logDir), port };
}

/** `npm run dashboard` on the run's namespace. */
async function startDashboard(ctx: Context, namespace: string): Promise<StoreService> {
  const port = await freePort();
  const env = { KAFKA_BROKERS: ctx.brokers, SCHEMA_REGISTRY_URL: registryUrl(ctx), TOPIC_NAMESPACE: namespace, DASHBOARD_PORT: String(port) };
  return { ...startService(`dashboard-${namespace}`, ['services/dashboard/main.ts'], env, ctx.logDir), port };
}

const running = (service: Service) => service.process.exitCode === null && service.process.signalCode === null;

async function drainWithoutFaults(ctx: Context, namespace: string): Promise<void> {
  const scorer = await startScorer(ctx, namespace, 0);
  await drained(ctx.log, namespace, `the fault-free scorer to drain ${namespace}`);
  await stopService(scorer);
}

/**
 * Kills the scorer at random moments: every other kill while it restores and rejoins, the others
 * while it processes (after its first commit since the start). Returns each restart's recovery time:
 * from the process's start to its first commit, for the restarts that had a backlog left.
 */
async function drainWithKills(ctx: Context, namespace: string, kills: number, next: () => number): Promise<Outcome> {
  const recoveries: number[] = [];
  let killed = 0;
  for (let n = 0; ; n++) {
    const started = Date.now();
    const before = await consumed(ctx.log, namespace);
    const scorer = await startScorer(ctx, namespace, n);
    // Once the backlog is drained, the kills left strike while the scorer restores and rejoins.
    const killEarly = killed < kills && (n % 2 === 1 || before.drained);
    if (killEarly) {
      await sleep(200 + next() * 3_000);
    } else {
      const after = await until(() => consumed(ctx.log, namespace), (c) => c.committed > before.committed || c.drained, `scorer ${n} to commit`, 10 * 60_000);
      if (after.committed > before.committed) recoveries.push(Date.now() - started);
      if (killed < kills && !after.drained) await sleep(50 + next() * 800);
    }
    const now = await consumed(ctx.log, namespace);
    if (killed >= kills) {
      await drained(ctx.log, namespace, `the scorer to drain ${namespace}`);
      await stopService(scorer);
      return { injected: killed, recoveries };
    }
    await stopService(scorer, 'SIGKILL');
    killed++;
    logger.info({ kill: killed, of: kills, committedOffsets: String(now.committed) }, 'scorer killed with SIGKILL');
  }
}

/**
 * Two scorers share the group; once both own tasks, one is killed with SIGKILL mid-drain. Recovery:
 * from the kill until the survivor owns every task.
 */
async function drainWithTwoScorers(ctx: Context, namespace: string, next: () => number): Promise<Outcome> {
  const [doomed, survivor] = [await startScorer(ctx, namespace, 0), await startScorer(ctx, namespace, 1)];
  await until(() => Promise.all([doomed.owned(), survivor.owned()]), (owned) => owned.every((n) => n > 0), 'both scorers to own tasks', 5 * 60_000);
  await sleep(next() * 500);
  const injected = (await consumed(ctx.log, namespace)).drained ? 0 : 1;
  const killedAt = Date.now();
  await stopService(doomed, 'SIGKILL');
  await until(() => survivor.owned(), (n) => n === PARTITIONS, 'the surviving scorer to own every task', 5 * 60_000);
  const recoveries = [Date.now() - killedAt];
  await drained(ctx.log, namespace, `the surviving scorer to drain ${namespace}`);
  await stopService(survivor);
  return { injected, recoveries };
}

/**
 * The registry and the scorer are killed together mid-drain, and started again: the restarted
 * registry must still know the ids of the records in Kafka, or the rest of the backlog would become
 * dead letters. Recovery: from the registry's restart to the scorer's first commit.
 */
async function drainWithRegistryRestart(ctx: Context, namespace: string, next: () => number): Promise<Outcome> {
  const before = await consumed(ctx.log, namespace);
  const scorer = await startScorer(ctx, namespace, 0);
  await until(() => consumed(ctx.log, namespace), (c) => c.committed > before.committed, 'the scorer to commit', 5 * 60_000);
  await sleep(50 + next() * 800);
  const atKill = await consumed(ctx.log, namespace);
  await Promise.all([stopService(ctx.registry, 'SIGKILL'), stopService(scorer, 'SIGKILL')]);
  const restartedAt = Date.now();
  ctx.registry = await startRegistry(ctx, 1);
  const restarted = await startScorer(ctx, namespace, 1);
  await until(() => consumed(ctx.log, namespace), (c) => c.committed > atKill.committed || c.drained, 'the restarted scorer to commit', 5 * 60_000);
  const recoveries = [Date.now() - restartedAt];
  await drained(ctx.log, namespace, `the restarted scorer to drain ${namespace}`);
  await stopService(restarted);
  return { injected: atKill.drained ? 0 : 1, recoveries };
}

/**
 * The broker is stopped mid-drain for BROKER_OUTAGE_MS and started again with its data; nobody
 * restarts the scorer, the fraud store or the dashboard. Recovery: from the broker's start to the
 * scorer's first commit after it. The dashboard must show records written after the outage.
 */
async function drainWithBrokerOutage(ctx: Context, namespace: string, next: () => number): Promise<Outcome> {
  const broker = ctx.broker!;
  const before = await consumed(ctx.log, namespace);
  const dashboard = await startDashboard(ctx, namespace);
  const scorer = await startScorer(ctx, namespace, 0);
  // The dashboard waits for the topics the scorer creates.
  await until(() => healthy(dashboard.port), (ok) => ok, 'the dashboard to consume', 60_000);
  await until(() => consumed(ctx.log, namespace), (c) => c.committed > before.committed, 'the scorer to commit', 5 * 60_000);
  await sleep(50 + next() * 800);
  const atStop = await consumed(ctx.log, namespace);
  broker.stop();
  await sleep(BROKER_OUTAGE_MS);
  broker.restart();
  const restartedAt = Date.now();
  await until(() => consumed(ctx.log, namespace), (c) => c.committed > atStop.committed || c.drained, 'the scorer to commit after the broker came back', 10 * 60_000);
  const recoveries = [Date.now() - restartedAt];
  const shownBefore = (await metricTotal(dashboard.port, 'dashboard_records_total')) ?? 0;
  await drained(ctx.log, namespace, `the scorer to drain ${namespace} after the outage`);
  const problems: string[] = [];
  const shown = await until(() => metricTotal(dashboard.port, 'dashboard_records_total'), (n) => n !== null && n > shownBefore, 'the dashboard to show records after the outage', 60_000).catch(() => null);
  if (shown === null) problems.push('the dashboard showed no record written after the broker came back');
  if (!(await healthy(dashboard.port))) problems.push('the dashboard was not healthy after the outage');
  if (!running(dashboard)) problems.push(`the dashboard ended during the outage (${await dashboard.exited}: ${lastFailure(dashboard)})`);
  await stopService(dashboard);
  const code = await stopService(scorer);
  if (code !== 0) problems.push(`the scorer ended with ${code} after the broker outage`);
  return { injected: atStop.drained ? 0 : 1, recoveries, problems };
}

/**
 * The fraud store's database is unreachable for DATABASE_OUTAGE_MS mid-ingest (its proxy resets every
 * connection and refuses new ones); nobody restarts the store. Recovery: from the database's return
 * to the store's first commit after it.
 */
async function drainWithDatabaseOutage(ctx: Context, namespace: string, next: () => number, db: RunDatabase): Promise<Outcome> {
  const scorer = await startScorer(ctx, namespace, 0);
  await until(async () => storedCount(db), (rows) => rows > 0, 'the fraud store to write its first rows', 5 * 60_000);
  await sleep(next() * 800);
  const [atCut, outputsAtCut] = [await stored(ctx.log, namespace), await outputs(ctx.log, namespace)];
  await db.proxy.cut();
  await sleep(DATABASE_OUTAGE_MS);
  // The outage counts if it held records back: the scorer wrote outputs the store could not store.
  const held = (await outputs(ctx.log, namespace)) > outputsAtCut;
  await db.proxy.restore();
  const restoredAt = Date.now();
  const recoveries: number[] = [];
  if (held) {
    await until(() => stored(ctx.log, namespace), (c) => c.committed > atCut.committed, 'the fraud store to commit after the database came back', 10 * 60_000);
    recoveries.push(Date.now() - restoredAt);
  }
  await drained(ctx.log, namespace, `the scorer to drain ${namespace}`);
  await stopService(scorer);
  return { injected: held ? 1 : 0, recoveries };
}

function kafkaLibs(): string {
  const version = /KAFKA_VERSION="\$\{KAFKA_VERSION:-([^}]+)\}"/.exec(readFileSync(join(ROOT, 'scripts/kafka/env.sh'), 'utf8'))![1]!;
  const libs = join(ROOT, '.kafka', `libs-${version}`);
  if (!existsSync(join(libs, '.complete'))) throw new Error(`the Kafka jars are not in ${libs}: run npm run kafka:start once to resolve them`);
  return libs;
}

interface Verdict {
  readonly pass: boolean;
  readonly rows: Array<{ topic: string; expected: number; actual: number; duplicates: number; missing: number; extra: number; mismatched: number }>;
  readonly paymentsIn: number;
  readonly scored: number;
  readonly deadLettered: number;
}

function independentReader(brokers: string, expected: string, actual: string, scoredIds: string): Verdict {
  const args = ['--bootstrap', brokers, '--expected', expected, '--actual', actual, '--scored-ids', scoredIds];
  const java = spawnSync('java', ['-cp', `${kafkaLibs()}/*`, '-Dlog4j2.level=warn', join(__dirname, 'Reader.java'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  process.stdout.write(java.stdout.split('\n').filter((line) => !line.startsWith('RESULT ')).join('\n'));
  const result = java.stdout.split('\n').find((line) => line.startsWith('RESULT '));
  if (result === undefined) throw new Error(`the independent reader gave no verdict (exit ${java.status}): ${java.stderr.slice(-2000)}`);
  return JSON.parse(result.slice('RESULT '.length)) as Verdict;
}

interface Scenario {
  /** What --only calls it. */
  readonly name: string;
  readonly fault: string;
  /** How many injections the scenario needs to count. */
  readonly needs: number;
  readonly run: (ctx: Context, namespace: string, next: () => number, db: RunDatabase) => Promise<Outcome>;
  /** Needs a broker the run started itself. */
  readonly ownBrokerOnly?: boolean;
}

function scenarios(run: Settings): Scenario[] {
  return [
    { name: 'kills', fault: 'scorer SIGKILL', needs: run.kills, run: (ctx, namespace, next) => drainWithKills(ctx, namespace, run.kills, next) },
    { name: 'two-scorers', fault: 'one of two scorers SIGKILL', needs: 1, run: drainWithTwoScorers },
    { name: 'registry', fault: 'registry and scorer SIGKILL', needs: 1, run: drainWithRegistryRestart },
    { name: 'broker', fault: 'broker stopped 30 s', needs: 1, run: drainWithBrokerOutage, ownBrokerOnly: true },
    { name: 'database', fault: 'database unreachable 60 s', needs: 1, run: drainWithDatabaseOutage },
  ];
}

async function publishBacklog(ctx: Context, namespace: string, run: Settings): Promise<void> {
  const args = ['--rate', '0', '--count', String(run.payments), '--seed', String(run.seed), '--start', '2026-01-05T08:00:00Z', '--scenarios', '3', '--malformed', '200', '--late-ratio', '0.005'];
  const summary = await runToEnd(`simulator-${namespace}`, ['services/simulator/main.ts', ...args, '--namespace', namespace, '--brokers', ctx.brokers, '--registry', registryUrl(ctx)], {}, ctx.logDir);
  // Profiles and logins a minute of event time after the backlog's newest record, so that its
  // newest out-of-orderness bound is decided too, and every payment has its output.
  const { end } = JSON.parse(summary.trim().split('\n').at(-1)!) as { end: string };
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registryUrl(ctx) }) });
  await publishFlushTail({ log: ctx.log, serde }, topicNames(namespace), Date.parse(end) + 60_000, { payments: false });
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));

function resultRow(scenario: Scenario, outcome: Outcome, verdict: Verdict, database: DatabaseCheck): { row: (string | number)[]; pass: boolean } {
  const sum = (key: 'duplicates' | 'missing' | 'extra' | 'mismatched') => verdict.rows.reduce((total, row) => total + row[key], 0);
  const alerts = verdict.rows.find((row) => row.topic === 'fraud.alerts')!;
  const sorted = [...outcome.recoveries].sort((a, b) => a - b);
  const exact = database.missing === 0 && database.extra === 0;
  const pass = verdict.pass && exact && outcome.injected >= scenario.needs && (outcome.problems ?? []).length === 0;
  const recovery = sorted.length === 1 ? seconds(sorted[0]) : `${seconds(sorted[0])} / ${seconds(sorted[Math.floor(sorted.length / 2)])} / ${seconds(sorted.at(-1))}`;
  return {
    row: [scenario.fault, outcome.injected, verdict.paymentsIn, verdict.scored, verdict.deadLettered, sum('duplicates'), sum('missing') + sum('extra'), sum('mismatched'), `${alerts.actual} (${alerts.expected})`, exact ? `exact (${database.rows})` : `${database.missing} missing, ${database.extra} extra`, recovery, pass ? 'pass' : 'FAIL'],
    pass,
  };
}

async function main(): Promise<void> {
  const run = settings(process.argv.slice(2));
  if (run === null) return void process.stdout.write(USAGE);
  const logDir = mkdtempSync(join(tmpdir(), 'peregrine-faults-'));
  logger.info({ logDir, ...run }, 'fault run starting');
  const given = process.env.KAFKA_BROKERS ?? '';
  const broker = given === '' ? ownBroker(OWN_BROKER_PORT) : null;
  broker?.start();
  const brokers = broker === null ? given : `127.0.0.1:${OWN_BROKER_PORT}`;
  const log = await createKafkaLog(createKafka({ brokers: parseBrokers(brokers), clientId: 'peregrine-faults', logger }));
  const base = { brokers, broker, registryPort: await freePort(), logDir, log };
  const ctx: Context = { ...base, registry: await startRegistry(base, 0) };
  const stamp = Date.now().toString(36);
  const expected = `faults-${stamp}-a`;
  const unknown = run.only.filter((name) => !scenarios(run).some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new Error(`--only ${unknown.join(', ')}: no such fault (kills, two-scorers, registry, broker, database)`);
  const chosen = scenarios(run).filter((scenario) => run.only.length === 0 || run.only.includes(scenario.name));
  const runnable = chosen.filter((scenario) => {
    if (scenario.ownBrokerOnly && broker === null) logger.warn({ fault: scenario.fault }, 'left out: KAFKA_BROKERS names a broker this run may not stop');
    return !scenario.ownBrokerOnly || broker !== null;
  });
  const planned = runnable.map((scenario, i) => ({ scenario, namespace: `faults-${stamp}-${String.fromCharCode(98 + i)}` }));
  // Interrupted, the run still stops the broker it started; its child processes end with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      broker?.stop();
      process.exit(130);
    });
  }
  try {
    for (const namespace of [expected, ...planned.map((p) => p.namespace)]) {
      logger.info({ namespace }, 'publishing the backlog');
      await publishBacklog(ctx, namespace, run);
    }
    logger.info({ namespace: expected }, 'draining without faults');
    await drainWithoutFaults(ctx, expected);
    const next = random(run.seed);
    const table = new Table({ style: { head: [], border: [] }, head: ['fault', 'injected', 'payments in', 'scored', 'dead-lettered', 'duplicates', 'missing', 'mismatched', 'alerts (fault-free)', 'database', 'recovery s (min / median / max)', 'verdict'] });
    let pass = true;
    const problems: string[] = [];
    for (const { scenario, namespace } of planned) {
      logger.info({ namespace, fault: scenario.fault }, 'draining with faults');
      const db = await createRunDatabase(namespace);
      try {
        const store = await startFraudStore(ctx, namespace, db);
        const outcome = await scenario.run(ctx, namespace, next, db);
        const idsFile = join(logDir, `${namespace}.scored-ids`);
        const verdict = independentReader(brokers, expected, namespace, idsFile);
        // The store's offsets stop short of the commit markers after its last records, so it is
        // waited for by its rows: as many as the reader found scored records, or a timeout.
        const storing = async () => (running(store) ? storedCount(db) : Infinity);
        await until(storing, (rows) => rows >= verdict.scored, `the fraud store to store ${namespace}`, 10 * 60_000).catch((error: unknown) => logger.warn({ err: error }, 'the database never held every scored record'));
        const storeEnded = running(store) ? [] : [`the fraud store ended (${await store.exited}: ${lastFailure(store)}); nobody restarted it`];
        await stopService(store);
        const database = checkDatabase(db, idsFile);
        const found = [...(outcome.problems ?? []), ...storeEnded, ...database.examples.map((example) => `database: ${example}`)];
        problems.push(...found.map((problem) => `${scenario.fault}: ${problem}`));
        const result = resultRow(scenario, { ...outcome, problems: found }, verdict, database);
        table.push(result.row);
        pass &&= result.pass;
      } finally {
        await db.drop();
      }
    }
    process.stdout.write(`\n${table.toString()}\n${problems.map((problem) => `  ${problem}\n`).join('')}logs: ${logDir}\n`);
    if (!pass) process.exitCode = 1;
  } finally {
    await log.close();
    await stopService(ctx.registry);
    broker?.stop();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'fault run failed');
  process.exit(1);
});
