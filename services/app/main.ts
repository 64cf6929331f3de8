// `npm start`: the whole pipeline in one process (see options.ts for the flags, app.ts for the parts).
import { createLogger } from '../shared/log';
import { startApp } from './app';
import { USAGE, parseCommandLine } from './options';

const logger = createLogger('peregrine');

async function main(): Promise<void> {
  let commandLine;
  try {
    commandLine = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (commandLine.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { options } = commandLine;
  const app = await startApp(options, { env: process.env, logger });
  void app.simulation.then((summary) => {
    if (summary && !summary.stopped) logger.info('simulation finished; the dashboard and the API stay up until Ctrl-C');
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal means the person does not want to wait for a clean stop.
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const log = options.kafka ? `Kafka at ${options.kafka.join(',')}` : 'an in-memory log';
  const database = options.databaseUrl ? 'PostgreSQL' : 'an embedded PostgreSQL (PGlite)';
  process.stdout.write(`\nPeregrine is running on ${log} and ${database}: open ${app.url}\n(Ctrl-C stops it)\n\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Peregrine failed to start');
  process.exit(1);
});
