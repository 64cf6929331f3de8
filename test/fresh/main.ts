// `npm run test:fresh`: the README's first command block on a machine that has nothing but Debian
// minbase and Node.js 20: no project packages, no npm cache, no Java, no PostgreSQL. In a container of
// a Docker engine of its own, a clone of the repository runs exactly that block; the test waits for
// /healthz to say ok and for the first alert in the fraud store's API, checks that `npm ci` printed no
// warning, then stops it as Ctrl-C would. With --full a second clean container installs the
// prerequisites exactly as the README lists them and runs the README's test command there.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../services/shared/log';
import { type DockerEngine, buildBaseImages, requirePrograms, run, startDockerEngine } from '../containers/engine';
import { Steps, fetchJson, freePorts, requireFreePorts } from '../containers/harness';
import { ROOT, sleep } from '../faults/processes';
import { codeBlock, readmeSection } from './readme';

const APP_PORT = 3000;
const NODE_IMAGE = 'peregrine-local/node:20';
const USAGE = `Usage: npm run test:fresh [-- --full]

Runs the README's quick start (\`npm ci && npm start\`) in a clean container (Debian minbase and
Node.js 20 only) of a Docker engine it starts itself, on a clone of the repository's last commit, and
passes when /healthz says ok, an alert reaches the fraud store's API and \`npm ci\` warned of nothing.
Needs root, dockerd (docker.io), debootstrap, git, and port ${APP_PORT} free on 127.0.0.1.

  --full   then install the README's prerequisites in a second clean container and run its test
           command there
  --help   this text
`;

const logger = createLogger('test-fresh', process.env.LOG_LEVEL ?? 'info', 2);
const steps = new Steps(logger);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { full: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) return void process.stdout.write(USAGE);
  requirePrograms({ dockerd: 'docker.io', docker: 'docker.io', debootstrap: 'debootstrap', git: 'git' });
  await requireFreePorts({ [APP_PORT]: 'npm start' });

  const logDir = join(tmpdir(), 'peregrine-test-fresh');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  logger.info({ logs: logDir }, 'starting a Docker engine of its own');
  const engine = await steps.time('Docker engine', () => startDockerEngine(logDir));
  let failure: unknown;
  try {
    await steps.time('base images (debootstrap; Node.js from the npm registry)', () => buildBaseImages(engine, join(logDir, 'base-images.log')));
    const clone = join(logDir, 'clone');
    await run('git', ['clone', '--quiet', '--no-local', ROOT, clone], { log: join(logDir, 'git.log') });
    const commit = (await run('git', ['rev-parse', '--short', 'HEAD'], { log: join(logDir, 'git.log'), cwd: clone })).trim();
    logger.info({ commit }, 'cloned the repository');
    await quickStart(engine, clone, logDir);
    if (values.full) await fullTest(engine, clone, logDir);
  } catch (error) {
    failure = error;
  } finally {
    await steps.time('stop the Docker engine', () => engine.stop());
  }
  process.stdout.write(`${steps.table()}\nlogs: ${logDir}\n`);
  if (failure !== undefined) throw failure;
  process.stdout.write(`pass: the README's quick start${values.full ? ' and its test command' : ''} on a clean machine\n`);
}

/** The quick start block as a user pastes it, in their home folder, as an ordinary user. */
async function quickStart(engine: DockerEngine, clone: string, logDir: string): Promise<void> {
  const block = codeBlock(readmeSection(readFileSync(join(clone, 'README.md'), 'utf8'), '## Quick start'), 'bash');
  logger.info({ block }, "the README's first command block");
  const dockerLog = join(logDir, 'docker.log');
  const outputLog = join(logDir, 'quick-start.log');
  const container = 'peregrine-fresh-quick-start';
  await engine.docker(
    [
      'run', '--detach', '--name', container, '--network', 'host', '--user', 'node', '--init',
      // Ctrl-C in a terminal signals the whole foreground process group: tini does the same.
      '--env', 'TINI_KILL_PROCESS_GROUP=1',
      '--volume', `${clone}:/src:ro`, NODE_IMAGE,
      'bash', '-c', `cp -r /src "$HOME/peregrine" && cd "$HOME/peregrine" && ${block}`,
    ],
    dockerLog,
  );
  const failed = async (message: string) => {
    const text = await engine.output(container, outputLog).catch(() => '');
    return new Error(`${message}; the container's output is in ${outputLog}:\n${text.trim().split('\n').slice(-20).join('\n')}`);
  };

  await steps.time(`${block}: /healthz ok`, async () => {
    const deadline = Date.now() + 15 * 60_000;
    while ((await fetchJson<{ status: string }>(`http://127.0.0.1:${APP_PORT}/healthz`))?.status !== 'ok') {
      if ((await engine.docker(['inspect', '--format', '{{.State.Running}}', container], dockerLog)).trim() !== 'true') {
        throw await failed('the quick start ended before /healthz said ok');
      }
      if (Date.now() > deadline) throw await failed('/healthz did not say ok within 15 minutes');
      await sleep(1000);
    }
  });
  // npm's own lines; the application logs JSON.
  const install = (await engine.output(container, join(logDir, 'docker-logs.log'))).split('\n').filter((line) => !line.startsWith('{'));
  const warnings = install.filter((line) => /^npm warn/i.test(line) || /EBADENGINE|not yet covered/.test(line));
  steps.note('npm ci', install.find((line) => /^added \d+ packages/.test(line)) ?? 'printed no summary');
  steps.note('npm ci warnings', warnings.length === 0 ? 'none' : `${warnings.length}`);

  await steps.time(
    'first alert in /api/alerts',
    async () => {
      const deadline = Date.now() + 3 * 60_000;
      for (;;) {
        const alerts = await fetchJson<{ items: { alertId: string; summary: string }[] }>(`http://127.0.0.1:${APP_PORT}/api/alerts?limit=1`);
        if (alerts !== null && alerts.items.length > 0) return alerts.items[0]!;
        if (Date.now() > deadline) throw await failed('no alert reached the fraud store API within 3 minutes');
        await sleep(1000);
      }
    },
    (alert) => alert.summary,
  );

  const exitCode = await steps.time(
    'Ctrl-C',
    async () => {
      await engine.docker(['kill', '--signal', 'INT', container], dockerLog);
      const code = (await engine.docker(['wait', container], dockerLog, 60_000)).trim();
      await engine.output(container, outputLog);
      await engine.docker(['rm', container], dockerLog);
      return code;
    },
    (code) => `exit code ${code}`,
  );

  if (warnings.length > 0) throw new Error(`npm ci printed warnings a newcomer would have to interpret:\n${warnings.join('\n')}`);
  // 130: the shell ended as Ctrl-C ended its command; 0: npm start ended cleanly before it.
  if (exitCode !== '0' && exitCode !== '130') throw new Error(`npm start ended with exit code ${exitCode} on Ctrl-C; its output is in ${outputLog}`);
}

/**
 * The README's prerequisites installed exactly as it lists them, then its test command, in a second
 * clean container, as root (apt-get needs it, and so does CI). The host's network is shared, and with
 * it the host's ports: the container's PostgreSQL listens on a port of its own and DATABASE_URL says
 * which, as the README allows; the test broker takes its own port too (PEREGRINE_TEST_KAFKA_PORT).
 */
async function fullTest(engine: DockerEngine, clone: string, logDir: string): Promise<void> {
  const readme = readFileSync(join(clone, 'README.md'), 'utf8');
  const prerequisites = codeBlock(readmeSection(readme, '### Prerequisites'), 'bash');
  const testCommand = codeBlock(readmeSection(readme, '## Quick start'), 'bash', 1);
  const pgPort = await freePorts(25432);
  const kafkaPort = await freePorts(29092, 2);
  const script = [
    'set -euo pipefail',
    'export DEBIAN_FRONTEND=noninteractive',
    'apt-get update -qq',
    prerequisites,
    // Debian's postgresql package creates a cluster but starts nothing inside a container.
    `sed -i "s/^port = .*/port = ${pgPort}/" /etc/postgresql/*/main/postgresql.conf`,
    'pg_ctlcluster "$(ls /etc/postgresql)" main start',
    `su postgres -c "psql -q -p ${pgPort} -c \\"ALTER USER postgres PASSWORD 'postgres'\\"" && su postgres -c "createdb -p ${pgPort} test"`,
    `export DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${pgPort}/test PEREGRINE_TEST_KAFKA_PORT=${kafkaPort}`,
    'cp -r /src /root/peregrine && cd /root/peregrine',
    'npm ci',
    testCommand,
  ].join('\n');
  logger.info({ prerequisites, testCommand, pgPort, kafkaPort }, 'installing the prerequisites and running the tests in a second clean container');
  const container = 'peregrine-fresh-full';
  const log = join(logDir, 'full.log');
  await steps.time(
    `prerequisites, npm ci, ${testCommand}`,
    () => engine.docker(['run', '--name', container, '--network', 'host', '--init', '--volume', `${clone}:/src:ro`, NODE_IMAGE, 'bash', '-c', script], log, 90 * 60_000),
    () => readFileSync(log, 'utf8').split('\n').filter((line) => /^(Test Suites|Tests):/.test(line)).join('; '),
  );
  await engine.docker(['rm', container], join(logDir, 'docker.log'));
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'test:fresh failed');
  process.exitCode = 1;
});
