// `npm run simulate`: publishes a simulated run to Kafka through the Schema Registry, or writes it into
// a recording file (see USAGE).
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka, parseBrokers } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createProgress } from '../shared/progress';
import { createAvroSerde } from '../shared/serde';
import { createKafkaLog } from '../shared/stream';
import { USAGE, parseCli } from './cli-options';
import { createSimulatorTopics } from './kafka-topics';
import { runSimulation, type SimulationDeps } from './run';
import { recordingDestination } from './to-recording';

// The summary goes to stdout, logs to stderr.
const logger = createLogger('simulator', process.env.LOG_LEVEL ?? 'info', 2);

/** Where the run goes: a broker and its registry, or a file with a registry of its own. */
async function destination(cli: ReturnType<typeof parseCli>): Promise<{ deps: Pick<SimulationDeps, 'log' | 'serde'>; close: () => Promise<unknown> }> {
  if (cli.out !== undefined) return recordingDestination(cli.out, cli.options);
  const kafka = createKafka({ brokers: parseBrokers(cli.brokers), clientId: 'peregrine-simulator', logger });
  await createSimulatorTopics(kafka, cli.options);
  const log = await createKafkaLog(kafka);
  return { deps: { log, serde: createAvroSerde({ registry: new SchemaRegistry({ host: cli.registryUrl }) }) }, close: () => log.close() };
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2), process.env);
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { deps, close } = await destination(cli);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means the person does not want to wait for the flush.
    if (controller.signal.aborted) process.exit(130);
    logger.info({ signal }, 'stopping: publishing what is buffered');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = createProgress({ doing: 'simulating', unit: 'payments', interactive: process.stderr.isTTY === true, logger });
  let summary;
  try {
    summary = await runSimulation(cli.options, { ...deps, logger, signal: controller.signal, onProgress: (p) => progress.update(p.transactions, p.expectedTransactions) });
  } finally {
    progress.stop();
    await close();
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'simulation failed');
  process.exit(1);
});
