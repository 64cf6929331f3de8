import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { LogError, LogErrorCode, asError, isLogError } from '../errors';
import { partitionKey } from '../partition-key';
import type { ConsumerHandlers, ConsumerOptions, GroupConsumer, TopicPartition, TopicPartitionOffset } from '../types';
import { coPartitionedAssigner } from './co-partitioned-assigner';
import { toLogError, translated } from './errors';
import { consumerOptions } from './options';
import { toLogRecord } from './records';

/**
 * A kafkajs group member behind the GroupConsumer contract. Members get whole partition numbers of
 * their topics (see co-partitioned-assigner.ts). kafkajs has no rebalance listener, so the
 * assignment callbacks are derived from its group-join event: each join is compared with the previous
 * assignment, and batches wait until the callbacks for that join are done. Revocation is therefore
 * reported when the member rejoins, after the partitions may already belong to another member; the
 * per-partition transactionalId fences whatever this member still tries to commit for them.
 */
export class KafkaGroupConsumer implements GroupConsumer {
  readonly #kafka: Kafka;
  readonly #options: ConsumerOptions;
  #consumer: Consumer | undefined;
  #handlers: ConsumerHandlers | undefined;
  #assignment: TopicPartition[] = [];
  readonly #paused = new Set<string>();
  /** The assignment callbacks of every join so far, in order; a batch waits for them. */
  #callbacks: Promise<void> = Promise.resolve();
  #crashed = false;
  #disconnected: Promise<void> | undefined;
  #unlisten: Array<() => void> = [];

  constructor(kafka: Kafka, options: ConsumerOptions) {
    this.#kafka = kafka;
    this.#options = options;
  }

  async run(handlers: ConsumerHandlers): Promise<void> {
    if (this.#consumer) throw new LogError(LogErrorCode.InvalidState, `Consumer of group ${this.#options.groupId} is already running`);
    const owned = () => [...new Set(this.#assignment.map((tp) => tp.partition))];
    const consumer: Consumer = this.#kafka.consumer({
      ...consumerOptions(this.#options.groupId),
      partitionAssigners: [coPartitionedAssigner(owned)],
      // kafkajs restarts a crashed consumer on a timer of its own, which a disconnect made before
      // the crash cannot clear: restarted after this adapter gave it up, the member would rejoin the
      // group as a zombie, holding partitions nobody processes (seen after a broker outage). So it
      // restarts only while it is still this adapter's running consumer.
      retry: { retries: 5, restartOnFailure: async () => this.#consumer === consumer && !this.#crashed },
    });
    this.#consumer = consumer;
    this.#handlers = handlers;
    this.#crashed = false;
    this.#disconnected = undefined;
    this.#paused.clear();
    this.#unlisten = [
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.#onJoin(payload.memberAssignment)),
      // kafkajs hands eachBatch only fetches with records; a fetch of nothing but transaction markers
      // or aborted records is reported by this event alone (with no messages in it).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize > 0 || this.#crashed) return;
        const { topic, partition, highWatermark, lastOffset } = payload;
        handlers.onProgress?.({ topic, partition, nextOffset: String(BigInt(lastOffset) + 1n), highWatermark });
      }),
      // kafkajs restarts itself after retriable failures; only a final crash is the caller's business.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) this.#crash(toLogError(payload.error, `consumer of group ${this.#options.groupId}`));
      }),
    ];
    try {
      await translated(`start consumer of group ${this.#options.groupId}`, async () => {
        await consumer.connect();
        await consumer.subscribe({ topics: [...this.#options.topics], fromBeginning: this.#options.fromBeginning ?? true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.#options.concurrentPartitions ?? 1,
          eachBatch: (payload) => this.#onBatch(payload),
        });
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const consumer = this.#running('commitOffsets');
    await translated(`commit offsets of group ${this.#options.groupId}`, () =>
      consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset }))),
    );
  }

  seek(position: TopicPartitionOffset): void {
    this.#running('seek').seek({ topic: position.topic, partition: position.partition, offset: position.offset });
  }

  pause(partitions: readonly TopicPartition[]): void {
    const consumer = this.#running('pause');
    for (const tp of partitions) this.#paused.add(partitionKey(tp));
    consumer.pause(partitions.map(({ topic, partition }) => ({ topic, partitions: [partition] })));
  }

  resume(partitions: readonly TopicPartition[]): void {
    const consumer = this.#running('resume');
    for (const tp of partitions) this.#paused.delete(partitionKey(tp));
    consumer.resume(partitions.map(({ topic, partition }) => ({ topic, partitions: [partition] })));
  }

  async stop(): Promise<void> {
    if (!this.#consumer) return;
    await this.#disconnect();
    await this.#callbacks;
    for (const unlisten of this.#unlisten) unlisten();
    const revoked = this.#assignment;
    this.#assignment = [];
    this.#consumer = undefined;
    if (revoked.length > 0) await this.#handlers?.onRevoked?.(revoked);
  }

  #onJoin(memberAssignment: Record<string, number[]>): void {
    const next = Object.entries(memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
    const before = new Set(this.#assignment.map(partitionKey));
    const after = new Set(next.map(partitionKey));
    const revoked = this.#assignment.filter((tp) => !after.has(partitionKey(tp)));
    const assigned = next.filter((tp) => !before.has(partitionKey(tp)));
    this.#assignment = next;
    const handlers = this.#handlers;
    this.#callbacks = this.#callbacks
      .then(async () => {
        if (revoked.length > 0) await handlers?.onRevoked?.(revoked);
        if (assigned.length > 0) await handlers?.onAssigned?.(assigned);
      })
      .catch((error: unknown) => this.#crash(asError(error)));
  }

  async #onBatch({ batch, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    await this.#callbacks;
    const { topic, partition } = batch;
    // Not resolving the offset leaves kafkajs's position where it was, so a batch fetched before a
    // pause or seek took effect is fetched again later instead of being lost. A batch fetched before
    // a rebalance may be of a partition this member just gave up: it is its new owner's to read.
    const assigned = this.#assignment.some((tp) => tp.topic === topic && tp.partition === partition);
    if (this.#crashed || this.#paused.has(partitionKey(batch)) || !assigned || isStale()) return;
    try {
      const records = batch.messages.map((message) => toLogRecord(topic, partition, message));
      // lastOffset covers the markers and aborted records of the fetch that kafkajs left out of its messages.
      const nextOffset = String(BigInt(batch.lastOffset()) + 1n);
      await this.#handlers?.eachBatch({ topic, partition, records, nextOffset, highWatermark: batch.highWatermark });
    } catch (error) {
      // kafkajs handles a rebalance itself (rejoin, then redelivery of everything uncommitted).
      if (isLogError(error, LogErrorCode.RebalanceInProgress) && error.cause) throw error.cause;
      this.#crash(asError(error));
      return;
    }
    if (!isStale()) resolveOffset(batch.lastOffset());
  }

  /** The caller's own errors (from its handlers) are passed on as they are; kafkajs's are translated. */
  #crash(error: Error): void {
    if (this.#crashed) return;
    this.#crashed = true;
    this.#handlers?.onCrash?.(error);
    // Not awaited: a crash inside eachBatch must return before kafkajs can finish stopping.
    void this.#disconnect();
  }

  #disconnect(): Promise<void> {
    const consumer = this.#consumer;
    // A member that fails to leave cleanly is dropped by the coordinator after its session timeout;
    // there is nothing more for the caller to do about it, so the failure ends the shutdown quietly.
    this.#disconnected ??= consumer ? consumer.disconnect().catch(() => undefined) : Promise.resolve();
    return this.#disconnected;
  }

  #running(operation: string): Consumer {
    if (!this.#consumer || this.#crashed) {
      throw new LogError(LogErrorCode.InvalidState, `${operation} needs a running consumer (between run and stop)`);
    }
    return this.#consumer;
  }
}
