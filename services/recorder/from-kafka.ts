// Recording from Kafka as the command line asks for it: `npm run record`, and `npm run backtest --kafka`.
import { parseDuration, parseTime } from '../shared/cli';
import { createKafka, parseBrokers } from '../shared/kafka';
import type { Logger } from '../shared/log';
import { createProgress } from '../shared/progress';
import { createKafkaLog } from '../shared/stream';
import { topicNames } from '../shared/topics';
import { DEFAULT_WARMUP_MS, type RecordSummary, recordHistory } from './record';

/** The options both commands take, for node:util's parseArgs. */
export const RECORD_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  warmup: { type: 'string' },
  registry: { type: 'string' },
  namespace: { type: 'string' },
} as const;

export interface RecordFromKafka {
  readonly brokers: string;
  readonly values: { readonly from?: string; readonly to?: string; readonly warmup?: string; readonly registry?: string; readonly namespace?: string };
  readonly out: string;
  readonly logger: Logger;
}

export async function recordFromKafka({ brokers, values, out, logger }: RecordFromKafka): Promise<RecordSummary> {
  const log = await createKafkaLog(createKafka({ brokers: parseBrokers(brokers), clientId: 'peregrine-recorder', logger }));
  const progress = createProgress({ doing: 'recording', unit: 'records', interactive: process.stderr.isTTY === true, logger });
  try {
    return await recordHistory({
      log,
      topics: topicNames(values.namespace),
      registryUrl: values.registry ?? process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081',
      from: values.from === undefined ? undefined : parseTime(values.from, Date.now, '--from'),
      to: values.to === undefined ? undefined : parseTime(values.to, Date.now, '--to'),
      warmupMs: values.warmup === undefined ? DEFAULT_WARMUP_MS : parseDuration(values.warmup, '--warmup'),
      out,
      source: `kafka ${brokers}${values.namespace ? ` (${values.namespace})` : ''}`,
      onProgress: (read, total) => progress.update(read, total),
    });
  } finally {
    progress.stop();
    await log.close();
  }
}
