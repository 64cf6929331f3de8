// A Docker engine of the test's own, for `npm run test:fresh` and `npm run test:compose`: a dockerd
// with its own socket, data root and exec root in a temporary folder, no bridge and no iptables rules,
// so that its containers can only run on the host's network (or on none). Every docker command of
// the tests goes to this engine's socket, whatever DOCKER_HOST or docker context the caller has, and
// stop() ends it by its pid: an engine the tests did not start is never touched.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ROOT, sleep } from '../faults/processes';

export interface Command {
  readonly env?: NodeJS.ProcessEnv;
  /** Where its output goes; failures quote its last lines. */
  readonly log: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Runs a program to its end, its output appended to a log file as it comes; returns its standard output. */
export function run(file: string, args: readonly string[], { env = process.env, log, cwd = ROOT, timeoutMs = 30 * 60_000 }: Command): Promise<string> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log, { flags: 'a' });
    out.write(`$ ${file} ${args.join(' ')}\n`);
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    const keep = (chunk: Buffer) => {
      out.write(chunk);
      tail = (tail + chunk.toString()).slice(-8192);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      keep(chunk);
    });
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      out.end();
      reject(new Error(`${file} could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      out.end('\n');
      if (code === 0) return resolve(stdout);
      const why = signal === null ? `exit code ${code}` : `${signal}${signal === 'SIGKILL' ? `, after ${timeoutMs / 60_000} minutes` : ''}`;
      const lines = tail.trim().split('\n').slice(-25).join('\n');
      reject(new Error(`${file} ${args.slice(0, 3).join(' ')} failed (${why}); full output in ${log}:\n${lines}`));
    });
  });
}

/** Fails with the Debian package to install when a program the tests need is missing. */
export function requirePrograms(programs: Record<string, string>): void {
  const path = (process.env.PATH ?? '').split(delimiter).concat('/usr/sbin', '/sbin');
  const missing = Object.entries(programs).filter(([program]) => !path.some((dir) => existsSync(join(dir, program))));
  if (missing.length > 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    throw new Error(`missing ${missing.map(([program]) => program).join(', ')}: install them with \`apt-get install -y ${packages}\` (.ci/run does so when they are missing)`);
  }
  if (process.getuid?.() !== 0) throw new Error('starting a Docker engine of its own (dockerd) and building a Debian root file system (debootstrap) need root');
}

export interface DockerEngine {
  /** The environment that points docker and docker-compose at this engine, and only at it. */
  readonly env: NodeJS.ProcessEnv;
  docker(args: readonly string[], log: string, timeoutMs?: number): Promise<string>;
  /** A container's output so far, standard output and error interleaved as it wrote them. */
  output(container: string, log: string): Promise<string>;
  /** Names of the engine's containers, running or not. */
  containers(log: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Engines still running: when the test process ends early, it still takes down what it started. */
const RUNNING = new Set<() => void>();
process.once('exit', () => {
  for (const stopNow of RUNNING) stopNow();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export async function startDockerEngine(logDir: string): Promise<DockerEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-docker-'));
  const socket = join(dir, 'docker.sock');
  const dockerdLog = join(logDir, 'dockerd.log');
  const dockerd = spawn(
    'dockerd',
    [
      `--host=unix://${socket}`,
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = createWriteStream(dockerdLog);
  dockerd.stdout.pipe(out);
  dockerd.stderr.pipe(out);
  const exited = new Promise<void>((resolve) => dockerd.once('exit', () => resolve()));

  mkdirSync(join(dir, 'config'));
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'config') };
  delete env.DOCKER_CONTEXT;
  delete env.DOCKER_TLS_VERIFY;
  delete env.DOCKER_CERT_PATH;
  const docker = (args: readonly string[], log: string, timeoutMs?: number) => run('docker', args, { env, log, timeoutMs });

  const engine: DockerEngine = {
    env,
    docker,
    output: (container, log) => run('bash', ['-c', 'docker logs "$0" 2>&1', container], { env, log }),
    containers: async (log) => (await docker(['ps', '-a', '--format', '{{.Names}}'], log)).split('\n').filter(Boolean),
    stop: async () => {
      RUNNING.delete(stopNow);
      if (dockerd.exitCode === null && dockerd.signalCode === null) {
        const left = await engine.containers(join(logDir, 'docker.log'));
        if (left.length > 0) await docker(['rm', '--force', ...left], join(logDir, 'docker.log'));
        // dockerd then stops the containerd it started.
        dockerd.kill('SIGTERM');
        await Promise.race([exited, sleep(60_000)]);
        if (dockerd.exitCode === null && dockerd.signalCode === null) {
          dockerd.kill('SIGKILL');
          await exited;
        }
      }
      const left = processesUnder(dir);
      if (left.length > 0) throw new Error(`processes of the test's Docker engine outlived it: ${left.join(', ')}`);
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  // Synchronous, for the process's exit: remove the containers, then end dockerd and wait for it.
  const stopNow = () => {
    try {
      execFileSync('bash', ['-c', 'ids=$(docker ps -aq) && { [ -z "$ids" ] || docker rm --force $ids; }'], { env, stdio: 'ignore', timeout: 120_000 });
    } catch {
      // dockerd may be gone already; what is left is reported below.
    }
    dockerd.kill('SIGTERM');
    for (let waited = 0; waited < 60 && isAlive(dockerd.pid); waited++) execFileSync('sleep', ['0.5']);
    if (isAlive(dockerd.pid)) dockerd.kill('SIGKILL');
    unmountUnder(dir);
    const left = processesUnder(dir);
    if (left.length > 0) process.stderr.write(`processes of the test's Docker engine outlived it: ${left.join(', ')}\n`);
    else rmSync(dir, { recursive: true, force: true });
  };
  RUNNING.add(stopNow);

  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await docker(['info', '--format', '{{.ServerVersion}}'], join(logDir, 'docker.log'));
      return engine;
    } catch (error) {
      if (dockerd.exitCode !== null || Date.now() > deadline) {
        await engine.stop().catch(() => undefined);
        const tail = readFileSync(dockerdLog, 'utf8').trim().split('\n').slice(-15).join('\n');
        throw new Error(`the test's Docker engine (dockerd) did not start: ${(error as Error).message.split('\n')[0]}\n${tail}`);
      }
      await sleep(500);
    }
  }
}

/** A child that has ended stays a zombie until the event loop reaps it, which it cannot at exit. */
function isAlive(pid: number | undefined): boolean {
  try {
    return pid !== undefined && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** dockerd leaves its bind mount of the host's network namespace (exec-root/netns/default) mounted. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mounts) execFileSync('umount', ['--lazy', mountPoint]);
}

/** Processes whose command line names the engine's folder: dockerd, containerd and their shims. */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(dir)) found.push(`${pid} ${cmdline.slice(0, 80)}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The base images docker-compose.local.yml and the fresh-machine test build on (docker/local/base-images.sh). */
export async function buildBaseImages(engine: DockerEngine, log: string): Promise<void> {
  await run('bash', [join(ROOT, 'docker', 'local', 'base-images.sh')], { env: engine.env, log, timeoutMs: 20 * 60_000 });
}
