// `npm run registry`: the embedded Confluent-compatible Schema Registry on 127.0.0.1:$REGISTRY_PORT.
import { createLogger } from '../shared/log';
import { startRegistryServer } from './server';

const DEFAULT_PORT = 8081;
const logger = createLogger('registry');

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`REGISTRY_PORT must be a TCP port (0-65535), got "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const registry = await startRegistryServer({ port: portFromEnv(process.env.REGISTRY_PORT), logger });
  logger.info({ url: registry.url }, 'schema registry listening');
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'schema registry stopping');
    registry.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'schema registry did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'schema registry failed to start');
  process.exit(1);
});
