// `npm run simulate`: publishes a simulated run to Kafka through the Schema Registry (see USAGE).
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka, parseBrokers } from '../shared/kafka';
import { createLogger } from '../shared/log';
import { createAvroSerde } from '../shared/serde';
import { createKafkaLog } from '../shared/stream';
import { USAGE, parseCli } from './cli-options';
import { createSimulatorTopics } from './kafka-topics';
import { createProgressReporter } from './progress';
import { runSimulation } from './run';

const logger = createLogger('simulator');

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2), process.env);
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  const kafka = createKafka({ brokers: parseBrokers(cli.brokers), clientId: 'peregrine-simulator', logger });
  await createSimulatorTopics(kafka, cli.options);
  const log = await createKafkaLog(kafka);
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: cli.registryUrl }) });

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means the person does not want to wait for the flush.
    if (controller.signal.aborted) process.exit(130);
    logger.info({ signal }, 'stopping: publishing what is buffered');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = createProgressReporter(process.stderr.isTTY === true, logger);
  let summary;
  try {
    summary = await runSimulation(cli.options, { log, serde, logger, signal: controller.signal, onProgress: (p) => progress.update(p) });
  } finally {
    progress.stop();
    await log.close();
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'simulation failed');
  process.exit(1);
});
