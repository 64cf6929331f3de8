// CEP engine benchmark: one task on one core, 1,000,000 transactions over 100,000 accounts (one
// card each) plus profile versions, with the profile join and all velocity and session features.
// Prints a table, or with --json one line for CI. `--accounts N` spreads the same transactions
// over N accounts at the same rate per account (see cep-input.ts): with few accounts the state
// stays in cache, which shows how much of the time per event is cache misses on the state. The
// input is generated from a seeded PRNG before any timing and turned into records batch by batch
// outside the timed region (see cep-input.ts). The engine and the decode-free floor (also run with
// its counters a row of state apart, see runFloor) are timed the same way on the same records, in
// wall-clock and CPU time (see measure.ts), `--runs N` times each, alternately, reporting the
// medians. Memory per card is measured in a child process started with --expose-gc, so that only
// what the engine retains is counted: JS heap plus ArrayBuffer memory (typed-array state lives
// outside the JS heap).
import { spawnSync } from 'node:child_process';
import { defineJob } from '../cep';
import { ACCOUNTS, BOUND_MS, BenchInput, INPUTS } from './cep-input';
import { runFloor, timed } from './floor';
import { type Stopwatch, accountsArgument, median, range, runsArgument, wholeNumberArgument } from './measure';

/** The accounts this run spreads its events over (`--accounts N`, at most ACCOUNTS). */
const RUN_ACCOUNTS = accountsArgument(ACCOUNTS);

function job() {
  return defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 10_000 });
}

function runEngine(input: BenchInput, batches: number): { events: number; scored: number; stopwatch: Stopwatch } {
  const task = job().createTask(0);
  let events = 0;
  let scored = 0;
  const stopwatch = timed(input, batches, (batch) => {
    events += batch.length;
    scored += task.process(batch, input.processingTimeOf(batch)).records.length;
  });
  stopwatch.time(() => void (scored += task.endOfInput().records.length));
  return { events, scored, stopwatch };
}

/**
 * Bytes between the cold floor's counters: by default the state per key the memory target allows
 * (1 KiB per active card, one card per account); `--row-bytes N` (a multiple of 8) for other sizes.
 */
function rowBytesArgument(): number {
  const rowBytes = wholeNumberArgument('--row-bytes', 1024, 1 << 14);
  if (rowBytes % Float64Array.BYTES_PER_ELEMENT !== 0) throw new Error('--row-bytes takes a multiple of 8');
  return rowBytes;
}

/**
 * Child mode: heap retained by the task after the whole stream. Each batch is fed as a deep copy,
 * so that, as with records a decoder allocates, no string of what the state keeps is shared with
 * the generator's literals.
 */
function measureHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const input = new BenchInput(RUN_ACCOUNTS);
  const retainedNow = (): number => {
    // One full collection sometimes leaves garbage that a second finds (25 MB more, now and then).
    for (let round = 0; round < 3; round++) gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const before = retainedNow();
  const task = job().createTask(0);
  for (let index = 0; index < input.batches; index++) {
    const batch = structuredClone(input.batch(index));
    task.process(batch, input.processingTimeOf(batch));
  }
  const retained = retainedNow() - before;
  const { keys } = task.metrics(0);
  process.stdout.write(JSON.stringify({ retained, keys, cards: input.accounts }));
}

function heapInChild(): { retained: number; keys: number; cards: number } {
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, '--heap', '--accounts', String(RUN_ACCOUNTS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`heap measurement failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { retained: number; keys: number; cards: number };
}

function main(): void {
  if (process.argv.includes('--heap')) return measureHeap();
  const json = process.argv.includes('--json');
  const input = new BenchInput(RUN_ACCOUNTS);
  const rowBytes = rowBytesArgument();
  runEngine(input, 100); // warm-up on a prefix, separate task
  const runs: { engine: Stopwatch; floor: Stopwatch; coldFloor: Stopwatch }[] = [];
  let scored = 0;
  for (let run = runsArgument(); run > 0; run--) {
    const engine = runEngine(input, input.batches);
    scored = engine.scored;
    runs.push({ engine: engine.stopwatch, floor: runFloor(input, Float64Array.BYTES_PER_ELEMENT), coldFloor: runFloor(input, rowBytes) });
  }
  const heap = heapInChild();
  const perSecond = (stopwatch: Stopwatch): number => input.size / stopwatch.seconds;
  const perCpuSecond = (stopwatch: Stopwatch): number => input.size / stopwatch.cpuSeconds;
  const engineRates = runs.map(({ engine }) => perSecond(engine));
  const engineCpuRates = runs.map(({ engine }) => perCpuSecond(engine));
  const floorRates = runs.map(({ floor }) => perSecond(floor));
  const eventsPerSec = Math.round(median(engineRates));
  const eventsPerCpuSec = Math.round(median(engineCpuRates));
  const floorEventsPerSec = Math.round(median(floorRates));
  const coldFloorEventsPerSec = Math.round(median(runs.map(({ coldFloor }) => perSecond(coldFloor))));
  const bytesPerActiveCard = Math.round(heap.retained / heap.cards);
  if (json) {
    process.stdout.write(`${JSON.stringify({ bench: 'cep', eventsPerSec, eventsPerCpuSec, floorEventsPerSec, coldFloorEventsPerSec, bytesPerActiveCard, runs: runs.length })}\n`);
    return;
  }
  console.table(
    Object.fromEntries(
      runs.map(({ engine, floor, coldFloor }, index) => [
        `run ${index + 1}`,
        {
          'engine events/s': Math.round(perSecond(engine)),
          'engine events/CPU-s': Math.round(perCpuSecond(engine)),
          'engine CPU seconds': +engine.cpuSeconds.toFixed(3),
          'floor events/s': Math.round(perSecond(floor)),
          'floor events/CPU-s': Math.round(perCpuSecond(floor)),
          [`floor, ${rowBytes} B rows events/s`]: Math.round(perSecond(coldFloor)),
        },
      ]),
    ),
  );
  console.table({
    heap: { retainedBytes: heap.retained, keys: heap.keys, activeCards: heap.cards, bytesPerActiveCard, bytesPerKey: Math.round(heap.retained / heap.keys) },
  });
  const spread = runs.length === 1 ? '' : ` (medians of ${runs.length} runs; engine ${range(engineRates)} events/s, ${range(engineCpuRates)} per CPU-second)`;
  console.log(
    `${input.size.toLocaleString('en')} events (${scored.toLocaleString('en')} scored), ${input.accounts.toLocaleString('en')} accounts: engine ${eventsPerSec.toLocaleString('en')} events/s, ` +
      `${eventsPerCpuSec.toLocaleString('en')} per CPU-second; floor ${floorEventsPerSec.toLocaleString('en')} events/s, ` +
      `${coldFloorEventsPerSec.toLocaleString('en')} with its counters ${rowBytes} bytes apart; engine / floor = ${(eventsPerSec / floorEventsPerSec).toFixed(3)}${spread}`,
  );
  console.log('targets: >= 1,000,000 events/s, <= 1024 bytes per active card');
}

main();
