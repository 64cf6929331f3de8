// One place that turns configuration into a kafkajs client, with kafkajs's own logs routed into pino
// so a service writes a single structured log stream.
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '../log';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs logs every refusal at ERROR, also those it then retries. CONCURRENT_TRANSACTIONS is
 * routine with pipelined commits: a transaction begins while the broker still writes the previous
 * one's markers, and the retry 20 ms later goes through. It is logged at debug; a retry that runs
 * out still fails the call, and its caller reports that.
 */
const ROUTINE_REFUSALS = new Set(['The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing']);

function levelOf(entryLevel: logLevel, error: unknown): 'error' | 'warn' | 'info' | 'debug' {
  if (typeof error === 'string' && ROUTINE_REFUSALS.has(error)) return 'debug';
  return LEVELS[entryLevel] ?? 'info';
}

export function parseBrokers(list: string): string[] {
  const brokers = list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error(`No Kafka brokers in "${list}"; expected host:port[,host:port]`);
  for (const b of brokers) {
    if (!/^[^:\s]+:\d+$/.test(b)) throw new Error(`Kafka broker "${b}" is not host:port`);
  }
  return brokers;
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** kafkajs is chatty at INFO about group membership; WARN keeps service logs readable. */
  level?: logLevel;
  config?: Partial<KafkaConfig>;
}

export function createKafka({ brokers, clientId, logger, level = logLevel.WARN, config }: KafkaClientOptions): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    logLevel: level,
    logCreator:
      () =>
      ({ level: entryLevel, namespace, log }: LogEntry) => {
        const { message, ...extra } = log;
        kafkaLogger[levelOf(entryLevel, extra.error)]({ namespace, ...extra }, message);
      },
    ...config,
  });
}
