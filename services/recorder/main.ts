// `npm run record`: records a history's inputs and labels from Kafka into a recording file (see USAGE).
import { parseArgs } from 'node:util';
import { createLogger } from '../shared/log';
import { RECORD_OPTIONS, recordFromKafka } from './from-kafka';

const USAGE = `Usage: npm run record -- --out FILE [options]

Records the payments, profiles, logins and labels of a time range from Kafka, byte for byte with
their schemas, into FILE (an Avro object container file), for npm run backtest to replay offline.

  --out FILE              the recording to write
  --from t                first event time measured: ISO time, epoch ms or "now" (default: the start)
  --to t                  end of the range, exclusive (default: the end)
  --warmup d              payments and logins recorded before --from, to warm the state up (default 1h); profiles are recorded from the start
  --brokers host:port,... Kafka brokers (env KAFKA_BROKERS, default 127.0.0.1:9092)
  --registry url          Schema Registry (env SCHEMA_REGISTRY_URL, default http://127.0.0.1:8081)
  --namespace ns          prefix of the topic names (default none)
  --help                  this text
`;

// The summary goes to stdout, logs to stderr.
const logger = createLogger('recorder', process.env.LOG_LEVEL ?? 'info', 2);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { ...RECORD_OPTIONS, out: { type: 'string' }, brokers: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) return void process.stdout.write(USAGE);
  if (values.out === undefined) throw new Error('--out FILE is required (see --help)');
  const summary = await recordFromKafka({ brokers: values.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', values, out: values.out, logger });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'recording failed');
  process.exit(1);
});
