// Reads fraud.scored and fraud.alerts into the live view with a consumer group of its own. The
// dashboard follows the live end of the topics: a partition starts at its end, and no offsets are
// committed, because the view lives in memory and a restarted server replaying the time it was down
// would show that backlog as a burst of throughput that never happened.
//
// Nothing a record holds can stop the consumer: a record that does not decode, or holds a score that
// is not a number, is counted, logged and skipped. A registry outage is skipped the same way (a view
// may miss a record; the fraud store is where nothing may be missed), and only bites until each
// writer schema has been fetched once, since the serde caches it.
import { typeOf, type Alert, type ScoredTransaction } from '../../schemas';
import type { Logger } from '../shared/log';
import type { AvroSerde } from '../shared/serde';
import { type GroupConsumer, type LogError, type LogRecord, type PartitionBatch, type RecordLog, waitForTopics } from '../shared/stream';
import type { TopicNames } from '../shared/topics';
import type { LiveView } from './live-view';
import type { DashboardMetrics } from './metrics';

export const DEFAULT_GROUP_ID = 'peregrine-dashboard';
/** Why a decoded record is skipped anyway. */
const INVALID_VALUE = 'INVALID_VALUE';

export type IngestState = 'waiting-for-topics' | 'starting' | 'running' | 'stopped' | 'crashed';

export interface DashboardIngestOptions {
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly topics: Pick<TopicNames, 'scored' | 'alerts'>;
  readonly groupId: string;
  readonly view: LiveView;
  readonly metrics: DashboardMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  /** How often to look again for topics that do not exist yet (the scorer creates them). */
  readonly topicPollMs?: number;
  readonly onCrash?: (error: Error) => void;
}

export class DashboardIngest {
  readonly #options: DashboardIngestOptions;
  readonly #stopping = new AbortController();
  #consumer: GroupConsumer | undefined;
  #started: Promise<void> | undefined;
  #state: IngestState = 'waiting-for-topics';

  constructor(options: DashboardIngestOptions) {
    this.#options = options;
  }

  get state(): IngestState {
    return this.#state;
  }

  /** Resolves once the consumer has joined its group, or when stopped before that. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    // Not waiting for a start still joining the group first: on Kafka that can take as long as the
    // broker is unreachable. Stopping the consumer ends the join; #start stops one that joined anyway.
    await this.#consumer?.stop();
    await this.#started?.catch(() => undefined);
    if (this.#state !== 'crashed') this.#state = 'stopped';
  }

  async #start(): Promise<void> {
    try {
      await this.#join();
    } catch (error) {
      if (this.#stopping.signal.aborted) return; // stopped while joining
      this.#state = 'crashed';
      throw error;
    }
  }

  async #join(): Promise<void> {
    const { log, topics, groupId, logger } = this.#options;
    const watched = [topics.scored, topics.alerts];
    const waiting = (error: LogError) => logger.info({ topics: watched, reason: error.message }, 'dashboard waiting for its topics');
    if (!(await waitForTopics(log.admin, watched, { signal: this.#stopping.signal, pollMs: this.#options.topicPollMs ?? 1_000, onWaiting: waiting }))) return;
    this.#state = 'starting';
    const consumer = log.consumer({ groupId, topics: watched, fromBeginning: false });
    this.#consumer = consumer;
    await consumer.run({
      eachBatch: (batch) => this.#onBatch(batch),
      onCrash: (error) => {
        this.#state = 'crashed';
        logger.error({ err: error }, 'dashboard consumer crashed');
        this.#options.onCrash?.(error);
      },
    });
    if (this.#stopping.signal.aborted) return consumer.stop(); // joined after stop() had run
    if (this.#state === 'starting') this.#state = 'running';
    logger.info({ groupId, topics: watched }, 'dashboard consuming');
  }

  async #onBatch(batch: PartitionBatch): Promise<void> {
    const { topics, serde, view, metrics, now } = this.#options;
    const isScored = batch.topic === topics.scored;
    const readerSchema = typeOf(isScored ? 'ScoredTransaction' : 'Alert');
    const results = await Promise.all(batch.records.map((record) => serde.decode<ScoredTransaction | Alert>(record.value, { readerSchema })));
    const time = now();
    results.forEach((result, i) => {
      const record = batch.records[i]!;
      if (!result.ok) return this.#reject(record, result.error.code, result.error.message);
      if (!Number.isFinite(result.value.score)) return this.#reject(record, INVALID_VALUE, `score ${result.value.score} is not a number`);
      if (isScored) view.addScored(result.value as ScoredTransaction, record, time);
      else view.addAlert(result.value as Alert, record, time);
      metrics.records.inc({ topic: batch.topic });
    });
  }

  #reject(record: LogRecord, reason: string, detail: string): void {
    this.#options.view.addRejected();
    this.#options.metrics.rejects.inc({ topic: record.topic, reason });
    this.#options.logger.warn({ topic: record.topic, partition: record.partition, offset: record.offset, reason, detail }, 'dashboard skipped a record');
  }
}
