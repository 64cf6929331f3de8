// `npm run test:compose`: the distributed demo as `docker-compose up` starts it, on a Docker engine of
// the test's own that pulls no image (docker-compose.yml with docker-compose.local.yml). It checks that
// every service becomes healthy, that payments flow from the simulator through the scorer, that alerts
// reach the fraud store's API, that the dashboard shows live data in Chromium (a screenshot is kept),
// that every container ran on the host's network and listened on 127.0.0.1 only, and that
// `docker-compose down -v` leaves nothing behind.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../../services/dashboard/testing/browser';
import { createLogger } from '../../services/shared/log';
import { type DockerEngine, buildBaseImages, requirePrograms, run, startDockerEngine } from '../containers/engine';
import { Steps, fetchJson, listeningAddresses, requireFreePorts } from '../containers/harness';
import { metricTotal, sleep } from '../faults/processes';

/** The ports docker-compose.local.yml's services listen on, all on the host's network. */
const PORTS = {
  9092: 'Kafka',
  9093: "Kafka's controller",
  8081: 'the schema registry',
  8082: 'the fraud store',
  8083: 'the scorer',
  8084: 'the dashboard',
  15432: 'PostgreSQL',
} as const;
const PROJECT = 'peregrine-compose-test';
const COMPOSE_FILES = ['-f', 'docker-compose.yml', '-f', 'docker-compose.local.yml'];

const USAGE = `Usage: npm run test:compose

Starts a Docker engine of its own (no bridge, no image registry), builds the base images
(docker/local/base-images.sh), runs \`docker-compose -f docker-compose.yml -f docker-compose.local.yml
up --build\`, checks the running demo end to end, and takes it down again with \`down -v\`.
Needs root, dockerd (docker.io), docker-compose, debootstrap, Chromium at /usr/bin/chromium, and
these ports free on 127.0.0.1: ${Object.keys(PORTS).join(', ')}.
`;

const logger = createLogger('test-compose', process.env.LOG_LEVEL ?? 'info', 2);
const steps = new Steps(logger);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', default: false } } });
  if (values.help) return void process.stdout.write(USAGE);
  requirePrograms({ dockerd: 'docker.io', docker: 'docker.io', 'docker-compose': 'docker-compose', debootstrap: 'debootstrap' });
  await requireFreePorts(PORTS);

  const artifacts = join(tmpdir(), 'peregrine-test-compose');
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  logger.info({ artifacts }, 'starting a Docker engine of its own');
  const engine = await steps.time('Docker engine', () => startDockerEngine(artifacts));
  const compose = (args: readonly string[], timeoutMs?: number) =>
    run('docker-compose', ['-p', PROJECT, ...COMPOSE_FILES, ...args], { env: engine.env, log: join(artifacts, 'docker-compose.log'), timeoutMs });
  let failure: unknown;
  try {
    await steps.time('base images (debootstrap; Node.js from the npm registry)', () => buildBaseImages(engine, join(artifacts, 'base-images.log')));
    try {
      await steps.time('docker-compose up --build', () => compose(['up', '--build', '--detach'], 30 * 60_000));
      await steps.time('every service healthy', () => allHealthy(engine, artifacts), (states) => states.join(', '));
      await checkNetworking(engine, artifacts);
      await steps.time('payments scored', () => scoring(), (scored) => `${scored} scored by the scorer`);
      await steps.time('alerts in the fraud store API', () => alertsInStore(), (alert) => alert);
      const screenshot = join(artifacts, 'dashboard.png');
      await steps.time('dashboard live in Chromium', () => dashboardShowsLiveData(screenshot), (rows) => `${rows} transactions on screen; ${screenshot}`);
    } finally {
      await compose(['logs', '--no-color'], 60_000).catch(() => undefined);
    }
    await steps.time('docker-compose down -v', () => compose(['down', '--volumes', '--remove-orphans'], 5 * 60_000));
    await steps.time('nothing left', () => nothingLeft(engine, artifacts), (left) => left);
  } catch (error) {
    failure = error;
  } finally {
    await steps.time('stop the Docker engine', () => engine.stop());
  }
  process.stdout.write(`${steps.table()}\nlogs and screenshot: ${artifacts}\n`);
  if (failure !== undefined) throw failure;
  process.stdout.write('pass: docker-compose up ran the demo end to end, on 127.0.0.1 only, and down -v left nothing\n');
}

interface ContainerState {
  readonly service: string;
  readonly status: string;
  readonly health: string;
  readonly exitCode: number;
}

async function containerStates(engine: DockerEngine, log: string): Promise<ContainerState[]> {
  const ids = (await engine.docker(['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`], log)).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const format = '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}-{{end}} {{.State.ExitCode}}';
  return (await engine.docker(['inspect', '--format', format, ...ids], log))
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [service = '', status = '', health = '', exitCode = ''] = line.split(' ');
      return { service, status, health, exitCode: Number(exitCode) };
    });
}

/** Every service with a health check healthy; the simulator, which has none, running or done. */
async function allHealthy(engine: DockerEngine, artifacts: string): Promise<string[]> {
  const log = join(artifacts, 'docker.log');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const states = await containerStates(engine, log);
    const failed = states.filter((s) => s.status === 'exited' && s.exitCode !== 0);
    const waiting = states.filter((s) => (s.health === '-' ? s.status !== 'running' && s.status !== 'exited' : s.health !== 'healthy'));
    if (states.length === 7 && failed.length === 0 && waiting.length === 0) return states.map((s) => `${s.service} ${s.health === '-' ? s.status : s.health}`);
    if (failed.length > 0 || Date.now() > deadline) {
      const bad = [...failed, ...waiting];
      const tails = await Promise.all(bad.map(async (s) => `${s.service} (${s.status}, ${s.health}):\n${(await serviceLogs(engine, s.service, artifacts)).slice(-1500)}`));
      throw new Error(`services not healthy (${states.length} of 7 containers): ${bad.map((s) => s.service).join(', ')}\n${tails.join('\n')}`);
    }
    await sleep(2000);
  }
}

async function serviceLogs(engine: DockerEngine, service: string, artifacts: string): Promise<string> {
  const log = join(artifacts, 'docker.log');
  const ids = (await engine.docker(['ps', '-a', '-q', '--filter', `label=com.docker.compose.service=${service}`], log)).split('\n').filter(Boolean);
  return ids.length === 0 ? '(no container)' : engine.output(ids[0]!, join(artifacts, `${service}.log`));
}

/** Host networking for every container, no network created, and every listener on loopback. */
async function checkNetworking(engine: DockerEngine, artifacts: string): Promise<void> {
  const log = join(artifacts, 'docker.log');
  const networks = (await engine.docker(['network', 'ls', '--format', '{{.Name}}'], log)).split('\n').filter(Boolean).sort();
  if (networks.join(',') !== 'host,none') throw new Error(`the demo created networks of its own: ${networks.join(', ')}`);
  const ids = (await engine.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`], log)).split('\n').filter(Boolean);
  const modes = (await engine.docker(['inspect', '--format', '{{.Name}} {{.HostConfig.NetworkMode}}', ...ids], log)).split('\n').filter(Boolean);
  const notHost = modes.filter((line) => !line.endsWith(' host'));
  if (notHost.length > 0) throw new Error(`containers off the host's network: ${notHost.join(', ')}`);
  const listeners = listeningAddresses(Object.keys(PORTS).map(Number));
  const outside = listeners.filter(({ address }) => address !== '127.0.0.1');
  if (outside.length > 0) throw new Error(`listening beyond loopback: ${outside.map(({ address, port }) => `${address}:${port}`).join(', ')}`);
  const missing = Object.keys(PORTS).filter((port) => !listeners.some((l) => l.port === Number(port)));
  if (missing.length > 0) throw new Error(`nothing listens on ${missing.join(', ')}`);
  steps.note('networking', `host for ${ids.length} containers; networks ${networks.join(', ')}; ${listeners.length} listeners, all on 127.0.0.1`);
}

async function scoring(): Promise<number> {
  const deadline = Date.now() + 3 * 60_000;
  let first: number | null = null;
  for (;;) {
    const scored = await metricTotal(8083, 'peregrine_scorer_scored_total');
    if (scored !== null && scored > 0) {
      if (first === null) first = scored;
      else if (scored > first) return scored;
    }
    if (Date.now() > deadline) throw new Error(`the scorer scored ${scored ?? 'nothing'} payments, and no more, within 3 minutes of every service being healthy`);
    await sleep(2000);
  }
}

async function alertsInStore(): Promise<string> {
  const deadline = Date.now() + 3 * 60_000;
  for (;;) {
    const alerts = await fetchJson<{ items: { summary: string }[] }>('http://127.0.0.1:8082/api/alerts?limit=1');
    if (alerts !== null && alerts.items.length > 0) return alerts.items[0]!.summary;
    if (Date.now() > deadline) throw new Error('no alert in the fraud store API (127.0.0.1:8082/api/alerts) within 3 minutes');
    await sleep(2000);
  }
}

async function dashboardShowsLiveData(screenshot: string): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1180 } });
    await page.goto('http://127.0.0.1:8084');
    // Rows and alerts arrive over socket.io after the page has loaded: live data, not a rendered page.
    await page.getByTestId('transaction-row').nth(4).waitFor({ timeout: 60_000 });
    await page.getByTestId('alert').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: screenshot });
    return await page.getByTestId('transaction-row').count();
  } finally {
    await browser.close();
  }
}

async function nothingLeft(engine: DockerEngine, artifacts: string): Promise<string> {
  const log = join(artifacts, 'docker.log');
  const containers = await engine.containers(log);
  const volumes = (await engine.docker(['volume', 'ls', '-q'], log)).split('\n').filter(Boolean);
  const networks = (await engine.docker(['network', 'ls', '--format', '{{.Name}}'], log)).split('\n').filter(Boolean).sort();
  const listening = listeningAddresses(Object.keys(PORTS).map(Number)).map(({ port }) => port);
  if (containers.length > 0 || volumes.length > 0 || networks.join(',') !== 'host,none' || listening.length > 0) {
    throw new Error(
      `docker-compose down -v left containers [${containers.join(', ')}], volumes [${volumes.join(', ')}], networks [${networks.join(', ')}], listeners on [${listening.join(', ')}]`,
    );
  }
  return 'no container, volume, network or listener';
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'test:compose failed');
  process.exitCode = 1;
});
