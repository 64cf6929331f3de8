// End-to-end benchmark through the real broker: simulator → Kafka → scorer (starter rule pack) →
// fraud.scored, with the embedded registry. Two phases, reported apart:
//   throughput: a backlog of payments is published first, then the scorer drains it; tx/s is what
//               it sustains, decode to transactional commit included, from the moment its consumer
//               has joined to the last decision (the first decisions may come out together with
//               many others, in one transaction). The decisions are counted, not decoded: this
//               process's one thread is the scorer's. With BENCH_E2E_SCORERS=N, N-1 more scorers
//               join the group from processes of their own (this file, run with --scorer-process),
//               told to start together with this one; their CPU counts in the CPU per payment.
//   latency:    the simulator, in a process of its own as in production, publishes at a steady rate
//               with event time = wall clock; consumers of payments.transactions and fraud.scored
//               in this process see each payment arrive and its decision leave (produce → scored,
//               on one clock, so the simulator's start-up lag — a population's history goes first —
//               does not count). A payment cannot be decided before the watermark passes it, about one
//               out-of-orderness bound after it was produced, so latency is also given from when the
//               watermark could first pass it: when every partition of payments had carried an event
//               time one bound later (WatermarkWait), which also leaves out the simulator's batching
//               and any falling behind of its clock. That is the number the engine is responsible
//               for; sparse inputs (profiles, auth events) holding the watermark count in it. The simulator
//               publishes a tail of one bound and two seconds more than is measured: a stream that
//               stops releases its last bound of payments only when every input has gone idle, an
//               end that a live stream does not have; the table gives the run with its end too.
// Uses the broker named by KAFKA_BROKERS, or starts the project's own on port 19792 (and stops it).
// Prints a table, or with --json one line: {"bench":"e2e","txPerSec":…,"cpuUsPerTx":…,"p50Ms":…,"p99Ms":…,"socketP99Ms":…}
// (latencies beyond the out-of-orderness wait; socketP99Ms to a socket.io client of the dashboard).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { join } from 'node:path';
import express from 'express';
import { Registry } from 'prom-client';
import { starterPack } from '../rules/starter';
import type { ScoredTransaction, Transaction } from '../schemas';
import { DashboardEvent, FLUSH_MS, attachDashboard, type DashboardFrame } from '../services/dashboard';
import { connectClient } from '../services/dashboard/testing/client';
import { type RunningRegistry, startRegistryServer } from '../services/registry';
import { scorerConfig } from '../services/scorer/config';
import { scoringJob } from '../services/scorer/job';
import { createScorerMetrics } from '../services/scorer/metrics';
import { startScorer } from '../services/scorer/scorer';
import { listenServer } from '../services/shared/http';
import { createKafka, parseBrokers } from '../services/shared/kafka';
import { createLogger } from '../services/shared/log';
import { createKafkaLog, type RecordLog } from '../services/shared/stream';
import { outputTopicSpecs, topicNames } from '../services/shared/topics';
import { DEFAULT_START, createSimulatorTopics, runSimulation, type SimulationOptions } from '../services/simulator';
import { publishFlushTail, serdeFor } from '../test/e2e/pipeline';
import { WatermarkWait } from './watermark-wait';

const JSON_OUTPUT = process.argv.includes('--json');
const BOUND_MS = 5_000;
const PARTITIONS = 4;
const BACKLOG = Number(process.env.BENCH_E2E_BACKLOG ?? 200_000);
const RATE = Number(process.env.BENCH_E2E_RATE ?? 1_000);
const LATENCY_SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 30);
const SCORERS = Number(process.env.BENCH_E2E_SCORERS ?? 1);
/** Published after the measured seconds, so that every measured payment is decided while the stream still flows. */
const TAIL_SECONDS = BOUND_MS / 1000 + 2;
const BENCH_PORT = 19792;
/** The scorer as `npm run scorer` configures it (OUT_OF_ORDERNESS_MS is fixed here; IDLE_TIMEOUT_MS, SCORER_TICK_MS apply). */
const SCORER = scorerConfig(process.env);
const DAY_MS = 86_400_000;
// On stderr: stdout is the table, or the one JSON line.
const logger = createLogger('bench-e2e', process.env.LOG_LEVEL ?? 'warn', 2);

function say(line: string): void {
  if (!JSON_OUTPUT) console.log(line);
}

function brokers(): { list: string; owned: boolean } {
  if (process.env.KAFKA_BROKERS) return { list: process.env.KAFKA_BROKERS, owned: false };
  const env = { ...process.env, KAFKA_PORT: String(BENCH_PORT) };
  execFileSync('bash', [join(__dirname, '..', 'scripts', 'kafka', 'start.sh')], { stdio: JSON_OUTPUT ? 'ignore' : 'inherit', env });
  return { list: `127.0.0.1:${BENCH_PORT}`, owned: true };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Phase {
  readonly namespace: string;
  readonly log: RecordLog;
  readonly registry: RunningRegistry;
}

async function startScorerFor(phase: Pick<Phase, 'namespace'> & { registry: { url: string } }, brokerList: string) {
  const topics = topicNames(phase.namespace);
  return startScorer({
    log: await createKafkaLog(createKafka({ brokers: parseBrokers(brokerList), clientId: 'bench-scorer', logger })),
    serde: serdeFor(phase.registry.url),
    job: scoringJob({ topics, pack: starterPack, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: SCORER.idleTimeoutMs, allowedLatenessMs: 60_000 }),
    groupId: 'scorer',
    topics,
    namespace: phase.namespace,
    partitions: PARTITIONS,
    tickMs: SCORER.tickMs,
    metrics: createScorerMetrics(new Registry()),
    logger,
  });
}

/** Calls `onRecords` with how many records of `topic` were committed, and when they were seen. */
async function count(phase: Phase, topic: string, onRecords: (count: number, seenAt: number) => void) {
  const consumer = phase.log.consumer({ groupId: `${phase.namespace}.bench-count-${topic}`, topics: [topic] });
  await consumer.run({ eachBatch: async ({ records }) => onRecords(records.length, Date.now()) });
  return consumer;
}

/** Calls `onValue` with each decoded record of `topic` as soon as it is committed, when it was seen, and its partition. */
async function watch<T>(phase: Phase, topic: string, onValue: (value: T, seenAt: number, partition: number) => void) {
  const serde = serdeFor(phase.registry.url);
  const consumer = phase.log.consumer({ groupId: `${phase.namespace}.bench-watch-${topic}`, topics: [topic] });
  await consumer.run({
    eachBatch: async ({ records }) => {
      const seenAt = Date.now();
      for (const record of records) {
        const decoded = await serde.decode<T>(record.value);
        if (decoded.ok) onValue(decoded.value, seenAt, record.partition);
      }
    },
  });
  return consumer;
}

async function newPhase(name: string, brokerList: string, simulation: SimulationOptions): Promise<Phase> {
  const namespace = `bench-${name}-${Date.now()}`;
  const kafka = createKafka({ brokers: parseBrokers(brokerList), clientId: `bench-${name}`, logger });
  await createSimulatorTopics(kafka, { ...simulation, namespace });
  const log = await createKafkaLog(kafka);
  await log.admin.ensureTopics(outputTopicSpecs(topicNames(namespace), PARTITIONS));
  return { namespace, log, registry: await startRegistryServer({ port: 0 }) };
}

async function throughput(brokerList: string): Promise<{ txPerSec: number; scored: number; cpuUsPerTx: number }> {
  // The rule scenarios only: the workload the published numbers were measured on.
  const simulation: SimulationOptions = { seed: 'bench', rate: 0, count: BACKLOG, mix: 'rules', scenarios: 1, partitions: PARTITIONS, lateRatio: 0 };
  const phase = await newPhase('throughput', brokerList, simulation);
  say(`publishing a backlog of ${BACKLOG} payments ...`);
  const summary = await runSimulation({ ...simulation, namespace: phase.namespace }, { log: phase.log, serde: serdeFor(phase.registry.url) });
  let scored = 0;
  let last = 0;
  const watcher = await count(phase, topicNames(phase.namespace).scored, (records, seenAt) => {
    scored += records;
    last = seenAt;
  });
  // Scenarios reach hours past the start; a tail two days on releases every payment of the run.
  await publishFlushTail({ log: phase.log, serde: serdeFor(phase.registry.url) }, topicNames(phase.namespace), DEFAULT_START + 2 * DAY_MS);
  say(`scoring the backlog with ${SCORERS} scorer process${SCORERS === 1 ? '' : 'es'} ...`);
  const others = await Promise.all(Array.from({ length: SCORERS - 1 }, () => ScorerProcess.spawn(phase, brokerList)));
  const started = Date.now();
  for (const other of others) other.start();
  const scorer = await startScorerFor(phase, brokerList);
  const joined = Date.now();
  const cpuAtJoin = process.cpuUsage();
  while (scored < summary.transactions && Date.now() - started < 15 * 60_000) await new Promise((r) => setTimeout(r, 200));
  const cpu = process.cpuUsage(cpuAtJoin);
  const othersCpuUs = (await Promise.all(others.map((other) => other.stop()))).reduce((sum, us) => sum + us, 0);
  await scorer.stop();
  await watcher.stop();
  await phase.log.close();
  await phase.registry.close();
  return {
    txPerSec: Math.round(scored / ((last - joined) / 1000 || 1)),
    scored,
    cpuUsPerTx: Math.round((cpu.user + cpu.system + othersCpuUs) / (scored || 1)),
  };
}

/**
 * A scorer of the drain in a process of its own, told over an IPC channel: it loads and says
 * `loaded`, starts its scorer on `start`, and on `stop` stops it and answers with the CPU it used
 * since the start, in µs. Its logs go to this process's stderr.
 */
class ScorerProcess {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  static async spawn(phase: Phase, brokerList: string): Promise<ScorerProcess> {
    const args = [...process.execArgv, process.argv[1]!, '--scorer-process', phase.namespace, phase.registry.url, brokerList];
    const scorer = new ScorerProcess(spawn(process.execPath, args, { stdio: ['ignore', process.stderr, 'inherit', 'ipc'] }));
    const [said] = (await once(scorer.#child, 'message')) as [string];
    if (said !== 'loaded') throw new Error(`scorer process said ${JSON.stringify(said)}, expected "loaded"`);
    return scorer;
  }

  start(): void {
    this.#child.send('start');
  }

  async stop(): Promise<number> {
    const answer = once(this.#child, 'message');
    this.#child.send('stop');
    const [cpuUs] = (await answer) as [number];
    await once(this.#child, 'exit');
    return cpuUs;
  }
}

/** The other end of ScorerProcess. */
async function scorerProcess([namespace, registryUrl, brokerList]: string[]): Promise<void> {
  const told = (command: string) => new Promise<void>((resolve) => process.on('message', (m) => m === command && resolve()));
  const [started, stopped] = [told('start'), told('stop')];
  process.send!('loaded');
  await started;
  const cpuAtStart = process.cpuUsage();
  const scorer = await startScorerFor({ namespace: namespace!, registry: { url: registryUrl! } }, brokerList!);
  await stopped;
  const cpu = process.cpuUsage(cpuAtStart);
  await scorer.stop();
  await new Promise((resolve) => process.send!(cpu.user + cpu.system, resolve));
}

/** A dashboard on the phase's log, and a socket.io client of it that reports each transaction row it receives. */
async function watchDashboard(phase: Phase, onRow: (transactionId: string, receivedAt: number) => void) {
  const app = express();
  const server = createServer(app);
  const dashboard = await attachDashboard({ app, server, log: phase.log, serde: serdeFor(phase.registry.url), logger, topics: topicNames(phase.namespace), groupId: `${phase.namespace}.bench-dashboard` });
  const http = await listenServer(server, 0);
  await dashboard.ready;
  const socket = connectClient(http.url);
  socket.on(DashboardEvent.Update, (frame: DashboardFrame) => {
    const receivedAt = Date.now();
    for (const row of frame.transactions) onRow(row.transactionId, receivedAt);
  });
  return {
    async stop() {
      socket.close();
      await dashboard.close();
      await http.close();
    },
  };
}

interface Latencies {
  /** Payment visible on payments.transactions → its decision visible on fraud.scored, ms, sorted: the measured seconds. */
  readonly scored: number[];
  /** The same from when the watermark could first pass the payment (see WatermarkWait). */
  readonly scoredBeyondWait: number[];
  /** The same, for every payment of the run, its tail and end included. */
  readonly scoredBeyondWaitWithEnd: number[];
  /** From when the watermark could pass a payment to its row reaching a socket.io client of the dashboard, ms, sorted. */
  readonly socketBeyondWait: number[];
  readonly publishSeconds: number;
}

/** A payment as the bench saw it on payments.transactions. */
interface Arrival {
  readonly at: number;
  readonly eventTime: number;
}

/** A payment's arrival, and when something about it (its decision, its dashboard row) was seen. */
interface Sample {
  readonly arrival: Arrival;
  readonly seenAt: number;
}

async function latency(brokerList: string): Promise<Latencies> {
  const simulation: SimulationOptions = { seed: 'bench-latency', rate: RATE, durationMs: LATENCY_SECONDS * 1000, mix: 'rules', scenarios: 0, lateRatio: 0, partitions: PARTITIONS, boundMs: BOUND_MS };
  const phase = await newPhase('latency', brokerList, simulation);
  const scorer = await startScorerFor(phase, brokerList);
  const topics = topicNames(phase.namespace);
  const arrivals = new Map<string, Arrival>();
  const wait = new WatermarkWait(BOUND_MS);
  let lastArrival = 0;
  const inputs = await watch<Transaction>(phase, topics.transactions, (value, seenAt, partition) => {
    arrivals.set(value.transactionId, { at: seenAt, eventTime: value.eventTime });
    wait.arrived(partition, value.eventTime, seenAt);
    lastArrival = Math.max(lastArrival, seenAt);
  });
  const decisions: Sample[] = [];
  const watcher = await watch<ScoredTransaction>(phase, topics.scored, (value, seenAt) => {
    const arrival = arrivals.get(value.transaction.transactionId);
    if (arrival !== undefined) decisions.push({ arrival, seenAt });
  });
  const rows: Sample[] = [];
  const dashboard = await watchDashboard(phase, (transactionId, receivedAt) => {
    const arrival = arrivals.get(transactionId);
    if (arrival !== undefined) rows.push({ arrival, seenAt: receivedAt });
  });
  say(`publishing ${RATE} tx/s for ${LATENCY_SECONDS} s (measured) + ${TAIL_SECONDS} s with event time = wall clock ...`);
  // No deliberate disorder: a payment shuffled late would arrive with part of its wait already served,
  // and one shuffled early would show its neighbours' delay as its own.
  const flags = { 'out-of-order-ms': 0, brokers: brokerList, registry: phase.registry.url, namespace: phase.namespace, seed: simulation.seed, rate: RATE, duration: `${LATENCY_SECONDS + TAIL_SECONDS}s`, start: 'now', mix: 'rules', scenarios: 0, 'late-ratio': 0, partitions: PARTITIONS, 'bound-ms': BOUND_MS };
  const publishing = Date.now();
  await promisify(execFile)(join(__dirname, '..', 'node_modules', '.bin', 'tsx'), [join(__dirname, '..', 'services', 'simulator', 'main.ts'), ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, String(value)])], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  // Well above LATENCY_SECONDS plus the history, the simulator could not keep its rate.
  const publishSeconds = (Date.now() - publishing) / 1000;
  await new Promise((r) => setTimeout(r, BOUND_MS + 3_000));
  await scorer.stop();
  await dashboard.stop();
  await watcher.stop();
  await inputs.stop();
  await phase.log.close();
  await phase.registry.close();
  const measuredUntil = lastArrival - TAIL_SECONDS * 1000;
  // The stream's last bound of payments is released once every input is idle, at the earliest.
  const endReleasedAt = lastArrival + SCORER.idleTimeoutMs;
  const waitedUntil = ({ at, eventTime }: Arrival) => Math.max(at, wait.passableAt(eventTime) ?? endReleasedAt);
  const sorted = (samples: Sample[], from: (arrival: Arrival) => number, until = Infinity) =>
    samples
      .filter(({ arrival }) => arrival.at <= until)
      .map(({ arrival, seenAt }) => seenAt - from(arrival))
      .sort((a, b) => a - b);
  return {
    scored: sorted(decisions, (arrival) => arrival.at, measuredUntil),
    scoredBeyondWait: sorted(decisions, waitedUntil, measuredUntil),
    scoredBeyondWaitWithEnd: sorted(decisions, waitedUntil),
    socketBeyondWait: sorted(rows, waitedUntil, measuredUntil),
    publishSeconds,
  };
}

async function main(): Promise<void> {
  const broker = brokers();
  try {
    const { txPerSec, scored: drained, cpuUsPerTx } = await throughput(broker.list);
    const { scored, scoredBeyondWait, scoredBeyondWaitWithEnd, socketBeyondWait, publishSeconds } = await latency(broker.list);
    const result = { bench: 'e2e', txPerSec, cpuUsPerTx, p50Ms: percentile(scoredBeyondWait, 50), p99Ms: percentile(scoredBeyondWait, 99), socketP99Ms: percentile(socketBeyondWait, 99) };
    if (JSON_OUTPUT) {
      console.log(JSON.stringify(result));
      return;
    }
    console.table({
      'throughput (backlog drain)': { value: txPerSec, unit: 'tx/s', note: `${drained} scored by ${SCORERS} scorer process${SCORERS === 1 ? '' : 'es'}` },
      'scorer CPU per payment (drain)': { value: cpuUsPerTx, unit: 'µs', note: 'user + system, the scorers; steadier than tx/s on a busy machine' },
      'latency p50, produce → scored': { value: percentile(scored, 50), unit: 'ms', note: `includes the ${BOUND_MS} ms out-of-orderness wait` },
      'latency p99, produce → scored': { value: percentile(scored, 99), unit: 'ms', note: `${scored.length} payments at ${RATE} tx/s` },
      'simulator run, wall clock': { value: publishSeconds, unit: 's', note: `${LATENCY_SECONDS + TAIL_SECONDS} s of payments after the population's history` },
      'latency p50 beyond the wait': { value: result.p50Ms, unit: 'ms', note: 'from when the watermark could pass the payment' },
      'latency p99 beyond the wait': { value: result.p99Ms, unit: 'ms', note: 'target < 250 ms' },
      'the same, the end of the stream included': { value: percentile(scoredBeyondWaitWithEnd, 99), unit: 'ms', note: `${scoredBeyondWaitWithEnd.length} payments; the last ones released by idleness` },
      'to a socket.io client, p99 beyond the wait': { value: result.socketP99Ms, unit: 'ms', note: `${socketBeyondWait.length} rows; the dashboard pushes every ${FLUSH_MS.default} ms` },
    });
  } finally {
    if (broker.owned) {
      execFileSync('bash', [join(__dirname, '..', 'scripts', 'kafka', 'stop.sh')], { stdio: 'ignore', env: { ...process.env, KAFKA_PORT: String(BENCH_PORT) } });
    }
  }
}

const scorerProcessAt = process.argv.indexOf('--scorer-process');
(scorerProcessAt >= 0 ? scorerProcess(process.argv.slice(scorerProcessAt + 1)) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
