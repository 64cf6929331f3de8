import { LogError, LogErrorCode } from '../errors';

// kafkajs names protocol errors by `type`; its retry wrapper (KafkaJSNumberOfRetriesExceeded) hides
// the protocol error in `cause`, so the whole chain is searched.
const CODE_BY_KAFKA_TYPE: Readonly<Record<string, LogErrorCode>> = {
  // Kafka answers a fenced producer of these old protocol versions with INVALID_PRODUCER_EPOCH.
  INVALID_PRODUCER_EPOCH: LogErrorCode.Fenced,
  PRODUCER_FENCED: LogErrorCode.Fenced,
  REBALANCE_IN_PROGRESS: LogErrorCode.RebalanceInProgress,
  ILLEGAL_GENERATION: LogErrorCode.RebalanceInProgress,
  UNKNOWN_MEMBER_ID: LogErrorCode.RebalanceInProgress,
  UNKNOWN_TOPIC_OR_PARTITION: LogErrorCode.UnknownTopic,
  INVALID_RECORD: LogErrorCode.InvalidRecord,
  MESSAGE_TOO_LARGE: LogErrorCode.RecordTooLarge,
  RECORD_LIST_TOO_LARGE: LogErrorCode.RecordTooLarge,
};

const RETRIABLE = new Set<LogErrorCode>([LogErrorCode.RebalanceInProgress]);

interface KafkaJsErrorShape {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
}

export function toLogError(error: unknown, doing: string): LogError {
  if (error instanceof LogError) return error;
  const chain = causeChain(error);
  for (const link of chain) {
    const code = typeof link.type === 'string' ? CODE_BY_KAFKA_TYPE[link.type] : undefined;
    if (code) return new LogError(code, `${doing}: ${messageOf(error)}`, { retriable: RETRIABLE.has(code), cause: error });
  }
  // Retries that ran out on a failure that outlasted them (the broker down, the coordinator not found)
  // may pass later: kafkajs restarts a consumer after this error too.
  const retriable = chain.some((link) => link.retriable === true || link.name === 'KafkaJSNumberOfRetriesExceeded');
  return new LogError(LogErrorCode.Broker, `${doing}: ${messageOf(error)}`, { retriable, cause: error });
}

/** Runs a kafkajs call and rethrows its failure as a LogError naming what was being done. */
export async function translated<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toLogError(error, doing);
  }
}

function causeChain(error: unknown): KafkaJsErrorShape[] {
  const chain: KafkaJsErrorShape[] = [];
  for (let link = error; typeof link === 'object' && link !== null && chain.length < 10; link = (link as KafkaJsErrorShape).cause) {
    chain.push(link as KafkaJsErrorShape);
  }
  return chain;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
