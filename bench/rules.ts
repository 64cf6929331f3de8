// Rule-pack benchmark: one task on one core runs the whole pipeline (profile join, velocity and
// session features) with the starter rule pack on 1,000,000 events over 100,000 accounts:
// transactions, auth events and profile versions from a seeded PRNG; only the task's calls are timed,
// in wall-clock and in CPU time (see measure.ts). The same pipeline without rules gives the cost the
// pack adds per event; with `--runs N` both run N times, alternately, and the medians are reported.
// Prints a table, or with --json one line for CI. Heap is measured in a child process started with
// --expose-gc, streaming the same input, so that only what the task retains is counted.
// `--without id,id` leaves those rules out of the pack, to see what each costs. `--accounts N`
// spreads the same number of events over N accounts at the same rate per account (over a longer
// span), so that the state of all of them fits in the CPU's caches: the pack's cost without misses.
// `--model DIR` also runs the pack with the feature vector and the model deciding (one onnxruntime
// call per batch, explanations included, as the scorer runs them), and reports what the model adds
// against what the pack adds.
import { spawnSync } from 'node:child_process';
import { defineJob, featureSchema } from '../cep';
import { type RuleEngineStage, type RulePack, ruleEngineStage, rulePack } from '../cep/rules';
import { type DecisionStep, decisionStep } from '../services/scorer/decisions';
import { type ServedModel, loadModel } from '../services/scorer/model';
import { starterPack } from '../rules/starter';
import { ACCOUNTS, BOUND_MS, INPUTS, RuleBenchInput, processingTimeOf } from './rules-input';
import { Stopwatch, accountsArgument, median, range, runsArgument } from './measure';

/** The accounts this run spreads its events over (`--accounts N`, at most ACCOUNTS). */
const RUN_ACCOUNTS = accountsArgument(ACCOUNTS);
const BATCH = 1_000;


function job(stage: RuleEngineStage | undefined) {
  const common = { inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 10_000 };
  return stage === undefined ? defineJob(common) : defineJob({ ...common, stage });
}

interface RunResult {
  readonly events: number;
  readonly outputs: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** Times the task's calls only, not the materialising of batches. */
function runPipeline(stage: RuleEngineStage | undefined, maxBatches = Infinity): RunResult {
  const input = new RuleBenchInput(RUN_ACCOUNTS);
  const task = job(stage).createTask(0);
  const stopwatch = new Stopwatch();
  let events = 0;
  let outputs = 0;
  for (let batch = input.nextBatch(), n = 0; batch !== undefined && n < maxBatches; batch = input.nextBatch(), n++) {
    events += batch.length;
    outputs += stopwatch.time(() => task.process(batch, processingTimeOf(batch))).records.length;
  }
  outputs += stopwatch.time(() => task.endOfInput()).records.length;
  return { events, outputs, seconds: stopwatch.seconds, cpuSeconds: stopwatch.cpuSeconds };
}

/** The pack with feature vectors, and the model deciding each batch's payments as the scorer does. */
async function runWithModel(pack: RulePack, decisions: DecisionStep): Promise<RunResult> {
  const input = new RuleBenchInput(RUN_ACCOUNTS);
  const task = defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 10_000, stage: ruleEngineStage(pack, { features: true }) }).createTask(0);
  const stopwatch = new Stopwatch();
  let events = 0;
  let outputs = 0;
  const decide = async (output: ReturnType<typeof task.process>) => (await decisions.decide(output)).records.length;
  for (let batch = input.nextBatch(); batch !== undefined; batch = input.nextBatch()) {
    events += batch.length;
    outputs += await stopwatch.timeAsync(() => decide(task.process(batch, processingTimeOf(batch))));
  }
  outputs += await stopwatch.timeAsync(() => decide(task.endOfInput()));
  return { events, outputs, seconds: stopwatch.seconds, cpuSeconds: stopwatch.cpuSeconds };
}

interface ModelBench {
  readonly name: string;
  readonly model: ServedModel;
  /** The model deciding, with its own thresholds (thresholds.json) or the defaults, as the scorer would. */
  readonly decisions: DecisionStep;
  /** The feature vector computed, the rules deciding: what the vector alone costs. */
  readonly featuresOnly: DecisionStep;
  /** Vectors of the run's first payments, for timing the model's parts apart. */
  readonly sample: Float32Array[];
}

const SAMPLE_VECTORS = 2_000;

/** `--model DIR`: that model for the pack, or null. */
async function modelBench(pack: RulePack): Promise<ModelBench | null> {
  const at = process.argv.indexOf('--model');
  if (at < 0) return null;
  const dir = process.argv[at + 1];
  if (dir === undefined) throw new Error('--model takes a model directory (npm run train)');
  const model = await loadModel(dir, featureSchema(pack.rules.map((rule) => rule.id)));
  const sample: Float32Array[] = [];
  const onVector = (_: unknown, vector: Float32Array) => void (sample.length < SAMPLE_VECTORS && sample.push(vector));
  return {
    name: model.identity.model,
    model,
    decisions: decisionStep({ model: () => model, thresholds: null }),
    featuresOnly: decisionStep({ model: () => null, thresholds: null, onVector }),
    sample,
  };
}

/** CPU-µs per payment of each part of the model's work, timed apart on sampled vectors. */
async function modelParts({ model, sample }: ModelBench): Promise<{ score: number; path: number; shap: number }> {
  const perRow = async (rounds: number, run: () => unknown) => {
    await run();
    const stopwatch = new Stopwatch();
    for (let i = 0; i < rounds; i++) await stopwatch.timeAsync(async () => run());
    return (stopwatch.cpuSeconds / (rounds * sample.length)) * 1e6;
  };
  const batches = Array.from({ length: Math.ceil(sample.length / BATCH) }, (_, i) => sample.slice(i * BATCH, (i + 1) * BATCH));
  const verdicts = (await Promise.all(batches.map((rows) => model.score(rows)))).flat();
  return {
    score: await perRow(20, () => Promise.all(batches.map((rows) => model.score(rows)))),
    path: await perRow(5, () => verdicts.forEach((v) => v.explain(false))),
    shap: await perRow(1, () => verdicts.forEach((v) => v.explain(true))),
  };
}

/** Child mode: heap the task with the pack retains after the whole stream. */
function measureHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const input = new RuleBenchInput(RUN_ACCOUNTS);
  gc();
  const before = process.memoryUsage().heapUsed;
  const task = job(ruleEngineStage(benchPack())).createTask(0);
  for (let batch = input.nextBatch(); batch !== undefined; batch = input.nextBatch()) task.process(batch, processingTimeOf(batch));
  gc();
  process.stdout.write(JSON.stringify({ heapBytes: process.memoryUsage().heapUsed - before }));
}

function heapInChild(): number {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--heap'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`heap measurement failed: ${child.stderr}`);
  return (JSON.parse(child.stdout) as { heapBytes: number }).heapBytes;
}

const count = (n: number) => n.toLocaleString('en');
const perSecond = (run: RunResult): number => run.events / run.seconds;
const perCpuSecond = (run: RunResult): number => run.events / run.cpuSeconds;

function row(run: RunResult) {
  return { 'events/s': Math.round(perSecond(run)), 'events/CPU-s': Math.round(perCpuSecond(run)), events: run.events, outputs: run.outputs, seconds: +run.seconds.toFixed(3), 'CPU seconds': +run.cpuSeconds.toFixed(3) };
}

/** The starter pack, less the rules named by `--without`. */
function benchPack(): RulePack {
  const at = process.argv.indexOf('--without');
  if (at < 0) return starterPack;
  const without = new Set((process.argv[at + 1] ?? '').split(','));
  const unknown = [...without].filter((id) => !starterPack.rules.some((rule) => rule.id === id));
  if (unknown.length > 0) throw new Error(`--without names no rule of the starter pack: ${unknown.join(', ')}`);
  return rulePack(starterPack.rules.filter((rule) => !without.has(rule.id)));
}

async function main(): Promise<void> {
  if (process.argv.includes('--heap')) return measureHeap();
  const json = process.argv.includes('--json');
  const pack = benchPack();
  const model = await modelBench(pack);
  const packName = pack === starterPack ? 'starter pack' : `starter pack of ${pack.rules.length} rules`;
  runPipeline(ruleEngineStage(pack), 100); // warm-up on a prefix, separate task
  const runs: { rules: RunResult; baseline: RunResult | undefined; features: RunResult | undefined; model: RunResult | undefined }[] = [];
  let peakPartialMatches = 0;
  for (let run = runsArgument(); run > 0; run--) {
    const stage = ruleEngineStage(pack);
    const rules = runPipeline(stage);
    peakPartialMatches = stage.metrics.peakPartialMatches;
    // --json reports the pack alone, as CI reads it.
    const baseline = json ? undefined : runPipeline(undefined);
    const features = model === null ? undefined : await runWithModel(pack, model.featuresOnly);
    runs.push({ rules, baseline, features, model: model === null ? undefined : await runWithModel(pack, model.decisions) });
  }
  const heapBytes = heapInChild();
  const eventsPerSec = Math.round(median(runs.map(({ rules }) => perSecond(rules))));
  const eventsPerCpuSec = Math.round(median(runs.map(({ rules }) => perCpuSecond(rules))));
  if (json) {
    const modelEventsPerSec = model === null ? undefined : Math.round(median(runs.map((r) => perSecond(r.model!))));
    process.stdout.write(`${JSON.stringify({ bench: 'rules', eventsPerSec, eventsPerCpuSec, modelEventsPerSec, peakPartialMatches, heapBytes, runs: runs.length })}\n`);
    return;
  }
  console.table(
    Object.fromEntries(
      runs.flatMap(({ rules, baseline, features, model: withModel }, index) => {
        const run = runs.length === 1 ? '' : ` (run ${index + 1})`;
        return [
          [`pipeline + ${packName}${run}`, row(rules)],
          [`pipeline, no rules${run}`, row(baseline!)],
          ...(withModel === undefined
            ? []
            : ([
                [`pipeline + ${packName} + feature vector${run}`, row(features!)],
                [`pipeline + ${packName} + model${run}`, row(withModel)],
              ] as const)),
        ];
      }),
    ),
  );
  console.table({ [packName]: { peakPartialMatches, heapBytes, bytesPerAccount: Math.round(heapBytes / RUN_ACCOUNTS) } });
  const addedMicros = runs.map(({ rules, baseline }) => ((rules.cpuSeconds - baseline!.cpuSeconds) / rules.events) * 1e6);
  const ruleMicrosPerEvent = median(addedMicros);
  const spread = runs.length === 1 ? '' : ` (medians of ${runs.length} runs; ${range(runs.map(({ rules }) => perSecond(rules)))} events/s, the pack adding ${Math.min(...addedMicros).toFixed(2)}–${Math.max(...addedMicros).toFixed(2)} µs)`;
  console.log(
    `pipeline + ${packName}: ${eventsPerSec.toLocaleString('en')} events/s, ${eventsPerCpuSec.toLocaleString('en')} per CPU-second; ` +
      `the pack adds ${ruleMicrosPerEvent.toFixed(2)} CPU-µs per event (${Math.round(1e6 / ruleMicrosPerEvent).toLocaleString('en')} events per CPU-second of rules alone)${spread}`,
  );
  console.log('target: >= 500,000 events/s with the whole pack');
  if (model !== null) {
    const added = (run: (r: (typeof runs)[number]) => RunResult) => median(runs.map((r) => ((run(r).cpuSeconds - r.rules.cpuSeconds) / r.rules.events) * 1e6));
    const featureMicros = added((r) => r.features!);
    const modelMicros = added((r) => r.model!);
    const parts = await modelParts(model);
    const flagged = runs[0]!.model!.outputs - runs[0]!.features!.outputs;
    console.log(
      `model ${model.name} adds ${modelMicros.toFixed(2)} CPU-µs per event: ${((modelMicros / ruleMicrosPerEvent) * 100).toFixed(0)}% of what the pack adds (target: at most 25%); ` +
        `the feature vector alone ${featureMicros.toFixed(2)} µs (${((featureMicros / ruleMicrosPerEvent) * 100).toFixed(0)}%)`,
    );
    console.log(
      `per payment: onnxruntime ${parts.score.toFixed(2)} µs (batches of ${BATCH} events), path contributions ${parts.path.toFixed(2)} µs (approved payments), ` +
        `exact Tree SHAP ${parts.shap.toFixed(1)} µs (payments decided REVIEW or DECLINE: about ${count(flagged)} more alerts than the rules' in this run)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
