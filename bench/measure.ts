// What the in-process benchmarks share: timing in wall-clock and CPU time, their numeric options,
// and the summary of repeated runs.

/**
 * Wall-clock and CPU seconds spent in the calls to `time`. CPU time is the process's
 * (process.cpuUsage, GC threads included): on a shared machine the wall clock also counts the
 * time other processes had the core, CPU time does not.
 */
export class Stopwatch {
  seconds = 0;
  cpuSeconds = 0;

  time<T>(run: () => T): T {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = run();
    this.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    const { user, system } = process.cpuUsage(cpu);
    this.cpuSeconds += (user + system) / 1e6;
    return result;
  }

  /** As `time`, for work that awaits (its CPU time counts every thread of the process, onnxruntime's too). */
  async timeAsync<T>(run: () => Promise<T>): Promise<T> {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await run();
    this.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    const { user, system } = process.cpuUsage(cpu);
    this.cpuSeconds += (user + system) / 1e6;
    return result;
  }
}

/** The whole number after `--name` on the command line, `fallback` without one. */
export function wholeNumberArgument(name: string, fallback: number, max: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new Error(`${name} takes a whole number from 1 to ${max}`);
  return value;
}

/**
 * How many accounts the input spreads its events over (`--accounts N`, default and at most `all`):
 * fewer accounts at the same rate each keep every account's state in the CPU's caches.
 */
export function accountsArgument(all: number): number {
  return wholeNumberArgument('--accounts', all, all);
}

/**
 * How many times to repeat the measured runs (`--runs N`, default 1). The host's speed drifts by
 * tens of percent within minutes, so one run says little; the median of several, with their
 * range, is what to compare.
 */
export function runsArgument(): number {
  return wholeNumberArgument('--runs', 1, 100);
}

/** Median of the values (the lower of the middle two for an even count: a value that was measured). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** `min–max` of rounded values, or the one value. */
export function range(values: readonly number[]): string {
  const low = Math.round(Math.min(...values)).toLocaleString('en');
  const high = Math.round(Math.max(...values)).toLocaleString('en');
  return low === high ? low : `${low}–${high}`;
}
