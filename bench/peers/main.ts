// Peregrine side by side with Apache Flink on the same work (`npm run bench:peers`). It builds the
// Flink peer jobs (bench/peers/flink, Maven: offline once its dependencies are cached), writes the
// bench:cep and bench:rules workloads to files once per run, then runs each job on both engines
// alternately (Peregrine, Flink, Peregrine, Flink, ...: `--pairs N`, default 3), each run a
// process of its own pinned to one core (taskset), and prints per pair the events per second of
// wall clock and per CPU-second, the ratio Peregrine / Flink, and the medians; also Peregrine's
// rate as a fraction of the cold floor measured in the same processes (bench/floor.ts), and
// whether the engines' answers agree (per-rule hit counts and the feature checksum, see
// answers.ts). `--json` prints one line instead. `--job features|rules` runs one job only.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { createLogger } from '../../services/shared/log';
import { createProgress } from '../../services/shared/progress';
import { BenchInput } from '../cep-input';
import { median, range, wholeNumberArgument } from '../measure';
import { ACCOUNTS, RuleBenchInput } from '../rules-input';
import type { PeerJob } from './peregrine';
import { buildFlinkJobs, flinkCommand } from './flink';
import { writeWorkload } from './workload';

const ROOT = join(__dirname, '..', '..');
const WORKLOADS = join(ROOT, '.cache', 'bench');
/** The core every run is pinned to: the last one, away from what the system schedules on core 0. */
const CORE = String(availableParallelism() - 1);
/**
 * Node's settings: a 256 MiB semi-space, the throughput setting as the JVM's heap is (the scorer
 * runs with 64 MiB, bounding its memory: see docs/benchmarks.md#side-by-side-with-flink).
 */
const NODE_OPTIONS = ['--max-semi-space-size=256', '--import', 'tsx'];

interface RunLine {
  readonly engine: 'peregrine' | 'flink';
  readonly job: PeerJob;
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly coldFloor?: { readonly seconds: number; readonly cpuSeconds: number };
  readonly answers: unknown;
}

interface Pair {
  readonly peregrine: RunLine;
  readonly flink: RunLine;
}

function run(command: string, args: readonly string[], cwd: string): string {
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.error !== undefined) throw new Error(`${command} could not start: ${child.error.message}`);
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${child.status}):\n${child.stderr.slice(-4000)}${child.stdout.slice(-2000)}`);
  return child.stdout;
}

/** The two workloads as files, written from the benchmarks' seeded generators. */
function writeWorkloads(): Record<PeerJob, string> {
  mkdirSync(WORKLOADS, { recursive: true });
  const features = new BenchInput();
  const rules = new RuleBenchInput(ACCOUNTS);
  const files = { features: join(WORKLOADS, 'features.pgwl'), rules: join(WORKLOADS, 'rules.pgwl') };
  writeWorkload(files.features, Array.from({ length: features.batches }, (_, index) => features.batch(index)));
  writeWorkload(
    files.rules,
    (function* () {
      for (let batch = rules.nextBatch(); batch !== undefined; batch = rules.nextBatch()) yield batch;
    })(),
  );
  return files;
}

function runEngine(engine: 'peregrine' | 'flink', job: PeerJob, workload: string): RunLine {
  const args =
    engine === 'peregrine'
      ? [process.execPath, ...NODE_OPTIONS, join(__dirname, 'peregrine.ts'), '--job', job, '--workload', workload]
      : flinkCommand(job, workload);
  const output = run('taskset', ['-c', CORE, ...args], ROOT);
  const line = output.trim().split('\n').pop()!;
  return JSON.parse(line) as RunLine;
}

function jobsArgument(): PeerJob[] {
  const at = process.argv.indexOf('--job');
  if (at < 0) return ['features', 'rules'];
  const job = process.argv[at + 1];
  if (job !== 'features' && job !== 'rules') throw new Error('--job takes features or rules');
  return [job];
}

const perSecond = (line: RunLine): number => line.events / line.seconds;
const perCpuSecond = (line: RunLine): number => line.events / line.cpuSeconds;
const coldFloorPerCpuSecond = (line: RunLine): number => line.events / line.coldFloor!.cpuSeconds;
const count = (n: number): string => Math.round(n).toLocaleString('en');

interface JobSummary {
  readonly ratio: number;
  readonly wallRatio: number;
  readonly peregrineEventsPerCpuSec: number;
  readonly flinkEventsPerCpuSec: number;
  readonly coldFloorRatio: number;
  readonly answersAgree: boolean;
}

function summarise(pairs: readonly Pair[]): JobSummary {
  const answers = new Set(pairs.flatMap(({ peregrine, flink }) => [JSON.stringify(peregrine.answers), JSON.stringify(flink.answers)]));
  return {
    ratio: median(pairs.map(({ peregrine, flink }) => perCpuSecond(peregrine) / perCpuSecond(flink))),
    wallRatio: median(pairs.map(({ peregrine, flink }) => perSecond(peregrine) / perSecond(flink))),
    peregrineEventsPerCpuSec: Math.round(median(pairs.map(({ peregrine }) => perCpuSecond(peregrine)))),
    flinkEventsPerCpuSec: Math.round(median(pairs.map(({ flink }) => perCpuSecond(flink)))),
    coldFloorRatio: median(pairs.map(({ peregrine }) => perCpuSecond(peregrine) / coldFloorPerCpuSecond(peregrine))),
    answersAgree: answers.size === 1,
  };
}

function printJob(job: PeerJob, pairs: readonly Pair[], summary: JobSummary): void {
  const table = new Table({
    head: ['pair', 'Peregrine events/s', 'Peregrine events/CPU-s', 'Flink events/s', 'Flink events/CPU-s', 'ratio per CPU-s', 'ratio wall', 'Peregrine / cold floor'],
    style: { head: [], border: [] },
  });
  pairs.forEach(({ peregrine, flink }, index) =>
    table.push([
      index + 1,
      count(perSecond(peregrine)),
      count(perCpuSecond(peregrine)),
      count(perSecond(flink)),
      count(perCpuSecond(flink)),
      (perCpuSecond(peregrine) / perCpuSecond(flink)).toFixed(2),
      (perSecond(peregrine) / perSecond(flink)).toFixed(2),
      (perCpuSecond(peregrine) / coldFloorPerCpuSecond(peregrine)).toFixed(2),
    ]),
  );
  const events = pairs[0]!.peregrine.events;
  console.log(`\n${job}: ${count(events)} events, each run pinned to core ${CORE}`);
  console.log(table.toString());
  const spread = range(pairs.map(({ peregrine, flink }) => (perCpuSecond(peregrine) / perCpuSecond(flink)) * 100));
  console.log(
    `median: Peregrine ${count(summary.peregrineEventsPerCpuSec)} events per CPU-second, Flink ${count(summary.flinkEventsPerCpuSec)}; ` +
      `Peregrine / Flink ${summary.ratio.toFixed(2)} per CPU-second (pairs ${spread}%), ${summary.wallRatio.toFixed(2)} wall clock; ` +
      `Peregrine at ${summary.coldFloorRatio.toFixed(2)} of its cold floor`,
  );
  if (summary.answersAgree) console.log(`answers agree: ${JSON.stringify(pairs[0]!.peregrine.answers)}`);
  else console.log(`ANSWERS DIFFER:\n  Peregrine ${JSON.stringify(pairs[0]!.peregrine.answers)}\n  Flink     ${JSON.stringify(pairs[0]!.flink.answers)}`);
}

function main(): void {
  const json = process.argv.includes('--json');
  const pairCount = wholeNumberArgument('--pairs', 3, 50);
  const jobs = jobsArgument();
  const logger = createLogger('bench-peers', process.env.LOG_LEVEL ?? 'warn', 2);
  const progress = createProgress({ doing: 'bench:peers', unit: 'runs', interactive: process.stderr.isTTY === true, logger });
  const total = jobs.length * pairCount * 2 + 1;
  progress.update(0, total);
  buildFlinkJobs();
  const workloads = writeWorkloads();
  let done = 1;
  progress.update(done, total);
  const results = new Map<PeerJob, Pair[]>(jobs.map((job) => [job, []]));
  for (let pair = 0; pair < pairCount; pair++) {
    for (const job of jobs) {
      const peregrine = runEngine('peregrine', job, workloads[job]);
      progress.update(++done, total);
      const flink = runEngine('flink', job, workloads[job]);
      progress.update(++done, total);
      results.get(job)!.push({ peregrine, flink });
    }
  }
  progress.stop();
  const summaries = new Map([...results].map(([job, pairs]) => [job, summarise(pairs)]));
  if (json) {
    const features = summaries.get('features');
    const rules = summaries.get('rules');
    const answersAgree = [...summaries.values()].every((summary) => summary.answersAgree);
    process.stdout.write(
      `${JSON.stringify({ bench: 'peers', featuresRatio: features?.ratio, rulesRatio: rules?.ratio, answersAgree, featuresColdFloorRatio: features?.coldFloorRatio, features, rules, pairs: pairCount })}\n`,
    );
    return;
  }
  for (const [job, pairs] of results) printJob(job, pairs, summaries.get(job)!);
  console.log('targets: Peregrine >= 2x Flink per CPU-second on features and on the rule pack; features >= 0.5 of the cold floor');
}

main();
