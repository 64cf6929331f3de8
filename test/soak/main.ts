// `npm run soak`: the pipeline on a real broker and PostgreSQL at a steady rate for a long time,
// watched for what grows: every 30 s the scorer's and the fraud store's resident memory and heap
// (after V8's own collections, as prom-client reports them) and both consumer groups' lag. A heap
// that keeps growing at a steady input is a leak (docs/reliability.md). With --embedded it watches
// `npm start` instead: one process whose log and database live in memory under their retention.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { createKafka, parseBrokers } from '../../services/shared/kafka';
import { createLogger } from '../../services/shared/log';
import { type RecordLog, createKafkaLog } from '../../services/shared/stream';
import { Topics } from '../../services/shared/topics';
import { ROOT, type Service, freePort, metricTotal, metricValues, sleep, startService, stopService } from '../faults/processes';

const USAGE = `Usage: npm run soak -- [options]

Runs the registry, the scorer, the fraud store and the simulator on a broker of its own (port 19994)
and PostgreSQL at DATABASE_URL, publishing at a steady rate, and prints every 30 s the scorer's and
the fraud store's resident memory and heap, both consumer groups' lag and the records the scorer
holds for the watermark; at the end, how much each heap grew per hour over the second half of the run.

With --embedded it runs \`npm start\` (in-memory log, PGlite in memory) instead, and prints every
30 s its resident memory, heap, external memory, what the log holds, the scorer's watermark lag
and the fraud store's lag; at the end, how far resident memory moved after the first five minutes.

  --embedded     watch npm start instead of the distributed services
  --minutes n    how long to publish (default 30)
  --rate n       payments per second (default 3000; 250 with --embedded, ten times npm start's)
  --every s      seconds between samples (default 30)
  --accounts n   the simulator's baseline accounts (default: its own, 60 x the rate; not with --embedded)
  --help         this text
`;

const BROKER_PORT = 19994;
const logger = createLogger('soak', process.env.LOG_LEVEL ?? 'info', 2);

interface Sample {
  readonly minute: number;
  readonly scorer: Memory;
  readonly store: Memory;
  readonly scorerLag: bigint;
  /** Records the scorer holds for the watermark: a watermark that stops moving shows here first. */
  readonly scorerPending: number;
  readonly storeLag: bigint;
}

interface Memory {
  readonly rssMb: number;
  readonly heapMb: number;
}

/** Resident memory and used heap from a service's Prometheus metrics. */
async function memoryOf(port: number): Promise<Memory> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rssMb: metric('process_resident_memory_bytes') / 2 ** 20, heapMb: metric('nodejs_heap_size_used_bytes') / 2 ** 20 };
}

/** Records in `topics` a group has not consumed yet. */
async function lag(log: RecordLog, groupId: string, topics: readonly string[]): Promise<bigint> {
  let total = 0n;
  for (const topic of topics) {
    const [ends, positions] = await Promise.all([log.admin.endOffsets(topic), log.admin.committedOffsets(groupId, topic)]);
    for (const end of ends) total += BigInt(end.offset) - BigInt(positions.find((p) => p.partition === end.partition)?.offset ?? '0');
  }
  return total;
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

interface SoakOptions {
  readonly minutes: number;
  readonly rate: number;
  readonly everyMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { embedded: { type: 'boolean' }, minutes: { type: 'string' }, rate: { type: 'string' }, every: { type: 'string' }, accounts: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const options = { minutes: Number(values.minutes ?? 30), rate: Number(values.rate ?? (values.embedded ? 250 : 3000)), everyMs: Number(values.every ?? 30) * 1000 };
  if (!Object.values(options).every((n) => Number.isFinite(n) && n > 0)) throw new Error('--minutes, --rate and --every take positive numbers');
  if (values.embedded && values.accounts !== undefined) throw new Error('--accounts is the distributed simulator\'s: npm start sizes its population from the rate');
  if (values.embedded) return soakEmbedded(options);
  return soakDistributed(options, values.accounts === undefined ? [] : ['--accounts', values.accounts]);
}

/** A metric summed over its labels; NaN while the service does not answer. */
const metricOr = async (port: number, name: string) => (await metricTotal(port, name)) ?? Number.NaN;

/**
 * `npm start` at `rate`, sampled from its /metrics. Memory is judged after the first five minutes,
 * when the log's busiest topics and the database have reached their retention at ten times the
 * default rate: from then on, resident memory should stay where it is.
 */
async function soakEmbedded({ minutes, rate, everyMs }: SoakOptions): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'peregrine-soak-'));
  const port = await freePort();
  logger.info({ logDir, minutes, rate }, 'embedded soak starting');
  const app = startService('npm-start', ['services/app/main.ts', '--port', String(port), '--rate', String(rate), '--duration', `${minutes + 10}m`], { LOG_LEVEL: 'warn' }, logDir);
  try {
    const table = new Table({ style: { head: [], border: [] }, head: ['minute', 'RSS MB', 'heap MB', 'external MB', 'log MB', 'CPU %', 'scorer watermark lag s', 'store lag'] });
    const started = Date.now();
    const rss: Array<readonly [number, number]> = [];
    let cpu = { at: Date.now(), seconds: await metricOr(port, 'process_cpu_seconds_total') };
    while (Date.now() - started < minutes * 60_000) {
      await sleep(everyMs);
      if (app.process.exitCode !== null || app.process.signalCode !== null) throw new Error(`npm start ended; see ${join(logDir, 'npm-start.log')}`);
      const minute = (Date.now() - started) / 60_000;
      const mb = async (name: string) => (await metricOr(port, name)) / 2 ** 20;
      const cpuNow = { at: Date.now(), seconds: await metricOr(port, 'process_cpu_seconds_total') };
      const cpuPercent = ((cpuNow.seconds - cpu.seconds) / ((cpuNow.at - cpu.at) / 1000)) * 100;
      cpu = cpuNow;
      // The gauge is per partition; the slowest partition is the lag.
      const watermarkLag = await maxMetric(port, 'peregrine_scorer_watermark_lag_ms');
      const row = [
        minute.toFixed(1),
        (await mb('process_resident_memory_bytes')).toFixed(0),
        (await mb('nodejs_heap_size_used_bytes')).toFixed(0),
        (await mb('nodejs_external_memory_bytes')).toFixed(0),
        (await mb('peregrine_log_retained_bytes')).toFixed(0),
        cpuPercent.toFixed(0),
        (watermarkLag / 1000).toFixed(1),
        String(await metricOr(port, 'fraud_store_consumer_lag')),
      ];
      rss.push([minute, Number(row[1])]);
      process.stdout.write(`${row.join('\t')}\n`);
      table.push(row);
    }
    process.stdout.write(`\n${table.toString()}\n`);
    const settled = rss.filter(([minute]) => minute >= 5);
    if (settled.length > 0) {
      const base = settled[0][1];
      const values = settled.map(([, mb]) => mb);
      const spread = Math.max(...values.map((mb) => Math.abs(mb - base) / base));
      process.stdout.write(`RSS from minute ${settled[0][0].toFixed(1)} (${base} MB): ${Math.min(...values)} to ${Math.max(...values)} MB, at most ${(spread * 100).toFixed(1)}% from it\nlogs: ${logDir}\n`);
    }
  } finally {
    await stopService(app);
  }
}

/** The largest value of a metric over its labels; NaN while the service does not answer or has none. */
async function maxMetric(port: number, name: string): Promise<number> {
  const values = (await metricValues(port, name)) ?? [];
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

async function soakDistributed({ minutes, rate, everyMs }: SoakOptions, accounts: readonly string[]): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'peregrine-soak-'));
  const kafkaScript = (name: string) => execFileSync('bash', [join(ROOT, `scripts/kafka/${name}.sh`)], { stdio: ['ignore', 2, 2], env: { ...process.env, KAFKA_PORT: String(BROKER_PORT) } });
  kafkaScript('start');
  const brokers = `127.0.0.1:${BROKER_PORT}`;
  const [registryPort, scorerPort, storePort] = [await freePort(), await freePort(), await freePort()];
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  const common = { KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: registryUrl, LOG_LEVEL: 'warn' };
  const services: Service[] = [];
  const log = await createKafkaLog(createKafka({ brokers: parseBrokers(brokers), clientId: 'peregrine-soak', logger }));
  logger.info({ logDir, minutes, rate }, 'soak starting');
  try {
    services.push(startService('registry', ['services/registry/main.ts'], { ...common, REGISTRY_PORT: String(registryPort) }, logDir));
    await sleep(3_000);
    // The simulator first, so that the topics exist with its partitions; it publishes in event time = now.
    services.push(startService('simulator', ['services/simulator/main.ts', '--rate', String(rate), '--count', String(Math.round(rate * minutes * 60)), '--start', 'now', '--brokers', brokers, '--registry', registryUrl, ...accounts], common, logDir));
    await sleep(5_000);
    services.push(startService('scorer', ['services/scorer/main.ts'], { ...common, SCORER_PORT: String(scorerPort) }, logDir));
    services.push(startService('fraud-store', ['services/fraud-store/main.ts'], { ...common, FRAUD_STORE_PORT: String(storePort) }, logDir));
    const started = Date.now();
    const samples: Sample[] = [];
    const table = new Table({ style: { head: [], border: [] }, head: ['minute', 'scorer RSS MB', 'scorer heap MB', 'scorer lag', 'scorer pending', 'store RSS MB', 'store heap MB', 'store lag'] });
    while (Date.now() - started < minutes * 60_000) {
      await sleep(everyMs);
      const sample: Sample = {
        minute: (Date.now() - started) / 60_000,
        scorer: await memoryOf(scorerPort),
        store: await memoryOf(storePort),
        scorerLag: await lag(log, 'peregrine-scorer', [Topics.transactions, Topics.profiles, Topics.authEvents]),
        scorerPending: (await metricTotal(scorerPort, 'peregrine_scorer_pending_records')) ?? Number.NaN,
        storeLag: await lag(log, 'fraud-store', [Topics.scored, Topics.alerts]),
      };
      samples.push(sample);
      const row = [sample.minute.toFixed(1), sample.scorer.rssMb.toFixed(0), sample.scorer.heapMb.toFixed(0), String(sample.scorerLag), String(sample.scorerPending), sample.store.rssMb.toFixed(0), sample.store.heapMb.toFixed(0), String(sample.storeLag)];
      process.stdout.write(`${row.join('\t')}\n`);
      table.push(row);
    }
    // The first half warms up (caches, JIT, state reaching its retention); growth after that is what leaks.
    const late = samples.slice(Math.floor(samples.length / 2));
    const perHour = (pick: (s: Sample) => number) => slope(late.map((s) => [s.minute / 60, pick(s)] as const));
    process.stdout.write(`\n${table.toString()}\n`);
    process.stdout.write(
      `heap growth over the second half: scorer ${perHour((s) => s.scorer.heapMb).toFixed(1)} MB/h, fraud store ${perHour((s) => s.store.heapMb).toFixed(1)} MB/h; ` +
        `lag at the end: scorer ${samples.at(-1)?.scorerLag ?? '–'}, fraud store ${samples.at(-1)?.storeLag ?? '–'} records\nlogs: ${logDir}\n`,
    );
  } finally {
    for (const service of services.reverse()) await stopService(service);
    await log.close();
    kafkaScript('stop');
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'soak failed');
  process.exit(1);
});
