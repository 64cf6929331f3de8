// Consumes fraud.scored and fraud.alerts into the database. Each batch is decoded, written in one
// database transaction, and only then are its offsets committed: a crash in between redelivers the
// batch, and the idempotent upserts make the redelivery harmless (effectively exactly-once rows).
//
// When the database or the schema registry is unavailable, or the broker cannot take the batch's
// offsets, the batch is put back (seek to its first offset), every partition is paused, and
// consumption resumes after a bounded exponential backoff. The batch handler returns meanwhile, so a
// Kafka member keeps heartbeating instead of being expelled. A batch put back after its rows were
// stored is stored again on redelivery, which the upserts make harmless.
import { typeOf } from '../../schemas';
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import { type GroupConsumer, isLogError, type LogError, LogErrorCode, type LogRecord, type PartitionBatch, type RecordLog, type TopicPartition, waitForTopics } from '../shared/stream';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { StoreDatabase } from './database';
import type { StoreMetrics } from './metrics';
import type { Reject } from './rejects';
import { alertSink, scoredTransactionSink, type RecordSink } from './sinks';
import { storeBatch, type Decoded } from './store-batch';
import { Topics } from '../shared/topics';

export const DEFAULT_GROUP_ID = 'fraud-store';

export type IngestState = 'idle' | 'waiting-for-topics' | 'running' | 'paused' | 'stopped' | 'crashed';

export interface IngestOptions {
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly db: StoreDatabase;
  readonly metrics: StoreMetrics;
  readonly logger: Logger;
  readonly groupId?: string;
  readonly topics?: { readonly scored: string; readonly alerts: string };
  readonly backoff?: BackoffOptions;
  /** How often to look again for topics that do not exist yet (the scorer creates them). */
  readonly topicPollMs?: number;
  /** The consumer stopped on an error it cannot get past (not an outage: those are waited out). */
  readonly onCrash?: (error: Error) => void;
}

/** The schema registry could not be asked; the record itself may be fine, so it is retried. */
class RegistryUnavailable extends Error {}

export class StoreIngest {
  readonly #options: IngestOptions;
  readonly #sinks: ReadonlyMap<string, RecordSink<unknown>>;
  readonly #assignment = new Map<string, TopicPartition>();
  readonly #stopping = new AbortController();
  #consumer: GroupConsumer | undefined;
  #state: IngestState = 'idle';
  #failures = 0;
  #resumeTimer: NodeJS.Timeout | undefined;

  constructor(options: IngestOptions) {
    this.#options = options;
    const topics = options.topics ?? Topics;
    this.#sinks = new Map<string, RecordSink<unknown>>([
      [topics.scored, scoredTransactionSink as RecordSink<unknown>],
      [topics.alerts, alertSink as RecordSink<unknown>],
    ]);
  }

  get state(): IngestState {
    return this.#state;
  }

  /** Resolves once the consumer has joined its group, after its topics exist; or when stopped first. */
  async start(): Promise<void> {
    const { log, logger, topicPollMs = 1_000 } = this.#options;
    const topics = [...this.#sinks.keys()];
    this.#state = 'waiting-for-topics';
    const waiting = (error: LogError) => logger.info({ topics, reason: error.message }, 'fraud store waiting for its topics');
    if (!(await waitForTopics(log.admin, topics, { signal: this.#stopping.signal, pollMs: topicPollMs, onWaiting: waiting }))) return;
    const consumer = log.consumer({ groupId: this.#options.groupId ?? DEFAULT_GROUP_ID, topics });
    this.#consumer = consumer;
    await consumer.run({
      onAssigned: (partitions) => partitions.forEach((tp) => this.#assignment.set(keyOf(tp), tp)),
      onRevoked: (partitions) => partitions.forEach((tp) => this.#assignment.delete(keyOf(tp))),
      eachBatch: (batch) => this.#onBatch(consumer, batch),
      onCrash: (error) => {
        this.#state = 'crashed';
        this.#clearResumeTimer();
        this.#options.logger.error({ err: error }, 'fraud store consumer crashed');
        this.#options.onCrash?.(error);
      },
    });
    if (this.#state === 'waiting-for-topics') this.#state = 'running';
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#clearResumeTimer();
    await this.#consumer?.stop();
    if (this.#state !== 'crashed') this.#state = 'stopped';
    this.#options.metrics.paused.set(0);
  }

  async #onBatch(consumer: GroupConsumer, batch: PartitionBatch): Promise<void> {
    // A batch fetched before the pause took effect, or of a partition assigned during the pause.
    if (this.#state === 'paused') return putBack(consumer, batch);
    const sink = this.#sinks.get(batch.topic);
    if (!sink) throw new Error(`fraud store received topic ${batch.topic}, which it does not subscribe to`);
    const { metrics, db } = this.#options;
    let dependency = 'registry';
    try {
      const { decoded, rejects } = await this.#decode(batch.records, sink);
      dependency = 'database';
      const stored = await storeBatch(db, sink, decoded, rejects);
      for (const [table, n] of Object.entries(stored.rows)) metrics.rowsWritten.inc({ table }, n);
      for (const reject of stored.rejects) this.#countReject(reject);
    } catch (error) {
      this.#pause(consumer, batch, dependency, error);
      return;
    }
    // Past the commit markers the fetch held after the last record, so that a caught-up store lags by nothing.
    const next = BigInt(batch.nextOffset);
    try {
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(next) }]);
    } catch (error) {
      // A broker outage is waited out like the database's; a rebalance, or a failure no retry gets
      // past, is the consumer's to handle.
      if (!isLogError(error, LogErrorCode.Broker) || !error.retriable) throw error;
      this.#pause(consumer, batch, 'broker', error);
      return;
    }
    this.#failures = 0;
    metrics.batches.inc({ topic: batch.topic });
    metrics.records.inc({ topic: batch.topic }, batch.records.length);
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(BigInt(batch.highWatermark) - next));
  }

  async #decode<T>(records: readonly LogRecord[], sink: RecordSink<T>): Promise<{ decoded: Decoded<T>[]; rejects: Reject[] }> {
    const readerSchema = typeOf(sink.schema);
    const results = await Promise.all(records.map((record) => this.#options.serde.decode<T>(record.value, { readerSchema })));
    const decoded: Decoded<T>[] = [];
    const rejects: Reject[] = [];
    results.forEach((result, i) => {
      const record = records[i];
      if (result.ok) decoded.push({ record, value: result.value });
      else if (result.error.retriable) throw new RegistryUnavailable(result.error.message, { cause: result.error });
      else rejects.push({ record, reason: result.error.code, detail: result.error.message });
    });
    return { decoded, rejects };
  }

  #countReject({ record, reason, detail }: Reject): void {
    this.#options.metrics.rejects.inc({ topic: record.topic, reason });
    this.#options.logger.warn({ topic: record.topic, partition: record.partition, offset: record.offset, reason, detail }, 'record rejected');
  }

  #pause(consumer: GroupConsumer, batch: PartitionBatch, dependency: string, error: unknown): void {
    this.#failures += 1;
    const delayMs = backoffDelay(this.#failures, this.#options.backoff ?? DEFAULT_BACKOFF);
    const { metrics, logger } = this.#options;
    metrics.retries.inc({ dependency });
    metrics.paused.set(1);
    logger.warn({ err: error, dependency, attempt: this.#failures, delayMs }, 'dependency unavailable: consumption paused');
    this.#state = 'paused';
    putBack(consumer, batch);
    consumer.pause([...this.#assignment.values()]);
    this.#resumeTimer = setTimeout(() => {
      this.#resumeTimer = undefined;
      this.#state = 'running';
      metrics.paused.set(0);
      consumer.resume([...this.#assignment.values()]);
    }, delayMs);
  }

  #clearResumeTimer(): void {
    if (this.#resumeTimer) clearTimeout(this.#resumeTimer);
    this.#resumeTimer = undefined;
  }
}

/** Nothing of the batch is committed: its partition is paused and will start again at its first record. */
function putBack(consumer: GroupConsumer, batch: PartitionBatch): void {
  consumer.pause([batch]);
  consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.records[0].offset });
}

function keyOf({ topic, partition }: TopicPartition): string {
  return `${topic}:${partition}`;
}
