// The Flink peer jobs (bench/peers/flink) from Node: building them with Maven, and the command that
// runs one of them on a workload file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { PeerJob } from './peregrine';

const PROJECT = join(__dirname, 'flink');

/**
 * The JVM's settings: a fixed heap large enough that the workload's records (about 0.5 GB of
 * objects, loaded before the timed region) and the job's state never make it resize, and the
 * Parallel collector, the throughput collector (on one core the JVM would pick Serial).
 */
const JVM_OPTIONS = ['-Xms3g', '-Xmx3g', '-XX:+UseParallelGC'];

/** Compiles the peer jobs and copies their jars to target/lib; offline first, so that a machine that resolved them once needs no network. */
export function buildFlinkJobs(): void {
  const goals = ['-B', '-q', '-Dstyle.color=never', 'package'];
  const offline = spawnSync('mvn', ['-o', ...goals], { cwd: PROJECT, encoding: 'utf8' });
  if (offline.error !== undefined) throw new Error(`the Flink peer jobs need Maven ('mvn' on PATH, e.g. apt-get install maven): ${offline.error.message}`);
  if (offline.status === 0) return;
  const online = spawnSync('mvn', goals, { cwd: PROJECT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (online.status !== 0) throw new Error(`building the Flink peer jobs failed (mvn exit ${online.status}):\n${online.stdout.slice(-4000)}${online.stderr.slice(-2000)}`);
}

/** The command line of one Flink run of `job` on `workload` (PeerBench.java), which prints one JSON line. */
export function flinkCommand(job: PeerJob, workload: string): string[] {
  return ['java', ...JVM_OPTIONS, '-cp', `${join(PROJECT, 'target', 'classes')}:${join(PROJECT, 'target', 'lib', '*')}`, 'dev.peregrine.bench.PeerBench', '--job', job, '--workload', workload];
}
