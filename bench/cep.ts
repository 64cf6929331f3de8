// CEP engine benchmark: one task on one core, 1,000,000 transactions over 100,000 accounts (one
// card each) plus profile versions, with the profile join and all velocity and session features.
// Prints a table, or with --json one line for CI. `--accounts N` spreads the same transactions
// over N accounts at the same rate per account (see cep-input.ts): with few accounts the state
// stays in cache, which shows how much of the time per event is cache misses on the state. The
// input is generated from a seeded PRNG before any timing and turned into records batch by batch
// outside the timed region (see cep-input.ts);
// the engine and the decode-free floor are timed the same way on the same records, in wall-clock
// time and in CPU time of the process (process.cpuUsage, GC threads included): on a shared
// machine the wall clock also counts the time other processes had the core. Memory per card is
// measured in a child process started with --expose-gc, so that only what the engine retains is
// counted: JS heap plus ArrayBuffer memory (typed-array state lives outside the JS heap).
import { spawnSync } from 'node:child_process';
import { type SourceRecord, defineJob } from '../cep';
import { ACCOUNTS, BOUND_MS, BenchInput, INPUTS } from './cep-input';

/** The value of `--accounts`, 100,000 by default. */
function accountsArgument(): number {
  const at = process.argv.indexOf('--accounts');
  if (at < 0) return ACCOUNTS;
  const accounts = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(accounts) || accounts < 1 || accounts > ACCOUNTS) throw new Error(`--accounts takes a whole number from 1 to ${ACCOUNTS}`);
  return accounts;
}

function job() {
  return defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 10_000 });
}

/** Wall-clock and CPU seconds spent in the calls to `run`. */
class Stopwatch {
  seconds = 0;
  cpuSeconds = 0;

  time(run: () => void): void {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    run();
    this.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    const { user, system } = process.cpuUsage(cpu);
    this.cpuSeconds += (user + system) / 1e6;
  }
}

/** Feeds `batches` batches of the input to `consume`, timing only the calls to it. */
function timed(input: BenchInput, batches: number, consume: (batch: SourceRecord[]) => void, stopwatch = new Stopwatch()): Stopwatch {
  for (let index = 0; index < batches; index++) {
    const batch = input.batch(index);
    stopwatch.time(() => consume(batch));
  }
  return stopwatch;
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

/** The floor: read each record's key and time and bump a per-key counter, nothing else. */
function runFloor(input: BenchInput): Stopwatch {
  const counts = new Map<string, number>();
  let events = 0;
  let latest = 0;
  const stopwatch = timed(input, input.batches, (batch) => {
    for (const record of batch) {
      counts.set(record.key!, (counts.get(record.key!) ?? 0) + 1);
      if ((record.eventTime as number) > latest) latest = record.eventTime as number;
      events++;
    }
  });
  if (counts.size === 0 || latest === 0 || events !== input.size) throw new Error('empty input');
  return stopwatch;
}

/**
 * Child mode: heap retained by the task after the whole stream. Each batch is fed as a deep copy,
 * so that, as with records a decoder allocates, no string of what the state keeps is shared with
 * the generator's literals.
 */
function measureHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const input = new BenchInput(accountsArgument());
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
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, '--heap', '--accounts', String(accountsArgument())], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`heap measurement failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { retained: number; keys: number; cards: number };
}

function main(): void {
  if (process.argv.includes('--heap')) return measureHeap();
  const json = process.argv.includes('--json');
  const input = new BenchInput(accountsArgument());
  runEngine(input, 100); // warm-up on a prefix, separate task
  const engine = runEngine(input, input.batches);
  const floor = runFloor(input);
  const heap = heapInChild();
  const eventsPerSec = Math.round(engine.events / engine.stopwatch.seconds);
  const eventsPerCpuSec = Math.round(engine.events / engine.stopwatch.cpuSeconds);
  const floorEventsPerSec = Math.round(input.size / floor.seconds);
  const bytesPerActiveCard = Math.round(heap.retained / heap.cards);
  if (json) {
    process.stdout.write(`${JSON.stringify({ bench: 'cep', eventsPerSec, eventsPerCpuSec, floorEventsPerSec, bytesPerActiveCard })}\n`);
    return;
  }
  const row = (stopwatch: Stopwatch) => ({
    'events/s': Math.round(input.size / stopwatch.seconds),
    'events/CPU-s': Math.round(input.size / stopwatch.cpuSeconds),
    seconds: +stopwatch.seconds.toFixed(3),
    cpuSeconds: +stopwatch.cpuSeconds.toFixed(3),
  });
  console.table({
    engine: { ...row(engine.stopwatch), events: engine.events, scored: engine.scored },
    'decode-free floor': { ...row(floor), events: input.size },
  });
  console.table({
    heap: { retainedBytes: heap.retained, keys: heap.keys, activeCards: heap.cards, bytesPerActiveCard, bytesPerKey: Math.round(heap.retained / heap.keys) },
  });
  console.log(`${input.accounts.toLocaleString('en')} accounts; engine / floor = ${(eventsPerSec / floorEventsPerSec).toFixed(3)}; targets: >= 1,000,000 events/s, <= 1024 bytes per active card`);
}

main();
