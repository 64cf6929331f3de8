// Peregrine and the Flink peer jobs give the same answers on the same events: the benchmark's
// ratio compares two engines doing the same work only while this holds. Both jobs run on a prefix
// of their benchmark workload (the first records in arrival order are a stream of their own);
// Flink runs in its own JVM through Maven's build, as `npm run bench:peers` runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchInput } from '../cep-input';
import { ACCOUNTS, RuleBenchInput } from '../rules-input';
import { buildFlinkJobs, flinkCommand } from './flink';
import { type PeerJob, runPeregrine } from './peregrine';
import { WorkloadReader, writeWorkload } from './workload';

/**
 * Batches of 1,000 records of each workload: past the accounts' first profile versions (they arrive
 * first), and far enough into the rules workload that most rules fire; few enough for a test.
 */
const PREFIX_BATCHES: Record<PeerJob, number> = { features: 250, rules: 300 };

let dir: string;

beforeAll(() => {
  jest.setTimeout(600_000);
  dir = mkdtempSync(join(tmpdir(), 'peregrine-peers-'));
  buildFlinkJobs();
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prefixOf(job: PeerJob): string {
  const path = join(dir, `${job}.pgwl`);
  if (job === 'features') {
    const input = new BenchInput();
    writeWorkload(path, Array.from({ length: PREFIX_BATCHES.features }, (_, index) => input.batch(index)));
  } else {
    const input = new RuleBenchInput(ACCOUNTS);
    writeWorkload(path, Array.from({ length: PREFIX_BATCHES.rules }, () => input.nextBatch()!));
  }
  return path;
}

function flinkAnswers(job: PeerJob, workload: string): unknown {
  const [command, ...args] = flinkCommand(job, workload);
  const run = spawnSync(command!, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`the Flink ${job} job failed (exit ${run.status}): ${run.stderr.slice(-3000)}`);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { answers: unknown }).answers;
}

describe('Peregrine and Flink on the same workload', () => {
  test('the features job: every payment with the same features and profile version', () => {
    const workload = prefixOf('features');
    const peregrine = runPeregrine('features', new WorkloadReader(workload)).answers.toJSON();
    expect(peregrine.payments).toBeGreaterThan(100_000);
    expect(flinkAnswers('features', workload)).toEqual(peregrine);
  }, 600_000);

  test('the rules job: the same hits of every rule, on payments and as account-level alerts', () => {
    const workload = prefixOf('rules');
    const peregrine = runPeregrine('rules', new WorkloadReader(workload)).answers.toJSON();
    // A comparison only means something where rules fire: most of the pack must have hits.
    const firing = Object.values(peregrine.ruleHits).filter((hits) => hits.payments + hits.accountAlerts > 0);
    expect(firing.length).toBeGreaterThanOrEqual(5);
    expect(flinkAnswers('rules', workload)).toEqual(peregrine);
  }, 600_000);
});
