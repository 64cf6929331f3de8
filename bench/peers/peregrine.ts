// One Peregrine run of a peer benchmark job on a workload file, as `npm run bench:peers` starts it
// (pinned to one core): a warm-up task on the first 100 batches, then the whole workload on a new
// task, timed in wall-clock and CPU time around the task's calls and the counting sink (records
// are decoded from the file outside the timed region, batch by batch), then the cold floor on the
// same records. Prints one JSON line.
//
//   node --max-semi-space-size=64 --import tsx bench/peers/peregrine.ts --job features|rules --workload FILE
//
// `features` is bench:cep's job (profile join, velocity and session features, the default scoring
// stage); `rules` is bench:rules' (the same pipeline with the starter pack).
import { type SourceRecord, defineJob } from '../../cep';
import { ruleEngineStage } from '../../cep/rules';
import type { RuleEngineOutput } from '../../cep/rules/rule-engine-stage';
import { starterPack } from '../../rules/starter';
import type { ScoredTransaction } from '../../schemas/types';
import { runFloor, timed } from '../floor';
import type { Stopwatch } from '../measure';
import { BOUND_MS } from '../cep-input';
import { Answers } from './answers';
import { KIND_TOPICS, WorkloadReader } from './workload';

const WARM_UP_BATCHES = 100;
/** The cold floor's counters sit a row of state apart: the 1 KiB per key the memory target allows (see bench/cep.ts). */
const COLD_ROW_BYTES = 1024;

export type PeerJob = 'features' | 'rules';

function argument(name: string): string {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? undefined : process.argv[at + 1];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
}

const common = {
  inputs: [
    { topic: KIND_TOPICS[0], kind: 'profile' },
    { topic: KIND_TOPICS[1], kind: 'auth' },
    { topic: KIND_TOPICS[2], kind: 'transaction' },
  ],
  outOfOrdernessMs: BOUND_MS,
  idleTimeoutMs: 10_000,
} as const;

/** A task's outputs, passed to the answers. */
interface Outputs<Out> {
  readonly records: readonly Out[];
}

/** A task of the job whose outputs go to `answers`: the counting sink. */
function taskOf(job: PeerJob, answers: Answers): { process(batch: SourceRecord[], processingTime: number): void; end(): void } {
  if (job === 'features') {
    const task = defineJob(common).createTask(0);
    const sink = ({ records }: Outputs<ScoredTransaction>) => records.forEach((scored) => answers.onScored(scored));
    return { process: (batch, time) => sink(task.process(batch, time)), end: () => sink(task.endOfInput()) };
  }
  const task = defineJob({ ...common, stage: ruleEngineStage(starterPack) }).createTask(0);
  const sink = ({ records }: Outputs<RuleEngineOutput>) => {
    for (const output of records) {
      if (output.kind === 'scored') answers.onScored(output.value);
      else answers.onAlert(output.value);
    }
  };
  return { process: (batch, time) => sink(task.process(batch, time)), end: () => sink(task.endOfInput()) };
}

/** Runs `job` on the first `batches` batches of `input` on a new task; only the task's calls and the sink are timed. */
export function runPeregrine(job: PeerJob, input: WorkloadReader, batches = input.batches): { answers: Answers; stopwatch: Stopwatch } {
  const answers = new Answers();
  const task = taskOf(job, answers);
  // Processing time follows event time (a real-time replay), so idleness behaves as in production.
  const stopwatch = timed(input, batches, (batch) => task.process(batch, batch[batch.length - 1]!.eventTime as number));
  stopwatch.time(() => task.end());
  return { answers, stopwatch };
}

function main(): void {
  const job = argument('--job');
  if (job !== 'features' && job !== 'rules') throw new Error('--job takes features or rules');
  const input = new WorkloadReader(argument('--workload'));
  runPeregrine(job, input, Math.min(WARM_UP_BATCHES, input.batches));
  const { answers, stopwatch } = runPeregrine(job, input);
  const floor = runFloor(input, COLD_ROW_BYTES);
  const line = {
    engine: 'peregrine',
    job,
    events: input.size,
    seconds: stopwatch.seconds,
    cpuSeconds: stopwatch.cpuSeconds,
    coldFloor: { seconds: floor.seconds, cpuSeconds: floor.cpuSeconds },
    answers: answers.toJSON(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

if (require.main === module) main();
