// The processes a fault run starts: each a real service as `npm run` starts it, its output in a log
// file of the run, so that a failure can be read after the fact.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Service {
  readonly name: string;
  /** Its standard output and error. */
  readonly logFile: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code, or the signal's name, once the process has ended. */
  readonly exited: Promise<number | string>;
}

/** Every process started and not yet ended: none outlives the run, also when it is interrupted. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startService(name: string, args: readonly string[], env: Record<string, string>, logDir: string): Service {
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  running.add(child);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return { name, logFile, process: child, exited };
}

/**
 * How a service that ended says it failed: the last error it logged itself (kafkajs's own errors, the
 * connection failures of any outage, are left out), so that a run's summary names the cause.
 */
export function lastFailure(service: Service): string {
  let failure = 'no error logged';
  for (const line of readFileSync(service.logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; component?: string; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 50 && entry.component !== 'kafkajs') failure = [entry.msg, entry.err?.message].filter(Boolean).join(': ');
    } catch {
      // A line of someone else's output that happens to start with a brace.
    }
  }
  return failure;
}

/** Runs a command to its end and returns its standard output; rejects when it fails. */
export async function runToEnd(name: string, args: readonly string[], env: Record<string, string>, logDir: string): Promise<string> {
  const service = startService(name, args, env, logDir);
  let stdout = '';
  service.process.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await service.exited;
  if (code !== 0) throw new Error(`${name} ended with ${code}; see ${service.logFile}`);
  return stdout;
}

export async function stopService(service: Service, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (service.process.exitCode === null && service.process.signalCode === null) service.process.kill(signal);
  return service.exited;
}

/** A port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A metric of a service's /metrics, one value per label set; null while it does not answer. */
export async function metricValues(port: number, name: string): Promise<number[] | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  } catch {
    return null;
  }
}

/** A metric of a service's /metrics, summed over its labels; null while it does not answer. */
export async function metricTotal(port: number, name: string): Promise<number | null> {
  return (await metricValues(port, name))?.reduce((sum, value) => sum + value, 0) ?? null;
}

/** Whether a service's /healthz answers 200. */
export async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}
