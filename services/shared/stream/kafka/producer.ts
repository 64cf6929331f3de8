import type { Kafka, Producer, Transaction } from 'kafkajs';
import { LogError, LogErrorCode } from '../errors';
import { BATCH_HEADER_BYTES, recordBytes } from '../record-size';
import type { LogProducer, LogTransaction, OutgoingRecord, TopicPartitionOffset, TransactionalProducer } from '../types';
import { translated } from './errors';
import { PRODUCER_OPTIONS } from './options';
import { toTopicMessages } from './records';

export async function connectProducer(kafka: Kafka, limitOf: TopicLimit): Promise<LogProducer> {
  const producer = kafka.producer(PRODUCER_OPTIONS);
  await translated('connect producer', () => producer.connect());
  return {
    send: (records) => sendAll(producer, records, 'send', limitOf),
    close: () => translated('close producer', () => producer.disconnect()),
  };
}

/**
 * A transaction begun right after a commit often finds the broker still writing the previous one's
 * markers and is refused with CONCURRENT_TRANSACTIONS, which kafkajs retries after its 300 ms
 * default: that wait was most of the scorer's p99 latency. The Java producer retries it after 20 ms;
 * so does this one, with enough retries to outlast a leader election as the default does (~20 s).
 */
const TRANSACTION_RETRY = { initialRetryTime: 20, retries: 10, maxRetryTime: 30_000 } as const;

export async function connectTransactionalProducer(kafka: Kafka, transactionalId: string, limitOf: TopicLimit): Promise<TransactionalProducer> {
  const producer = kafka.producer({ ...PRODUCER_OPTIONS, transactionalId, retry: TRANSACTION_RETRY });
  await translated(`connect producer ${transactionalId}`, () => producer.connect());
  // kafkajs registers the transactionalId with the coordinator (InitProducerId, which fences older
  // producers and aborts their open transaction) only when the first transaction begins. An empty
  // transaction does that now and ends locally, without a request, so fencing happens on creation.
  const init = await translated(`initialise producer ${transactionalId}`, () => producer.transaction());
  await translated(`initialise producer ${transactionalId}`, () => init.abort());
  return new KafkaTransactionalProducer(producer, transactionalId, limitOf);
}

class KafkaTransactionalProducer implements TransactionalProducer {
  readonly #producer: Producer;
  #open: KafkaTransaction | undefined;

  constructor(
    producer: Producer,
    readonly transactionalId: string,
    readonly limitOf: TopicLimit,
  ) {
    this.#producer = producer;
  }

  async beginTransaction(): Promise<LogTransaction> {
    if (this.#open?.isOpen) throw new LogError(LogErrorCode.InvalidState, `Producer ${this.transactionalId} already has an open transaction`);
    const transaction = await translated(`begin transaction of ${this.transactionalId}`, () => this.#producer.transaction());
    this.#open = new KafkaTransaction(transaction, this.transactionalId, this.limitOf);
    return this.#open;
  }

  close(): Promise<void> {
    return translated(`close producer ${this.transactionalId}`, () => this.#producer.disconnect());
  }
}

class KafkaTransaction implements LogTransaction {
  readonly #transaction: Transaction;
  readonly #transactionalId: string;
  readonly #limitOf: TopicLimit;
  #ended = false;

  constructor(transaction: Transaction, transactionalId: string, limitOf: TopicLimit) {
    this.#transaction = transaction;
    this.#transactionalId = transactionalId;
    this.#limitOf = limitOf;
  }

  get isOpen(): boolean {
    return !this.#ended;
  }

  send(records: readonly OutgoingRecord[]): Promise<void> {
    this.#assertOpen();
    return sendAll(this.#transaction, records, `send in transaction of ${this.#transactionalId}`, this.#limitOf);
  }

  async sendOffsets({ groupId, offsets }: { groupId: string; offsets: readonly TopicPartitionOffset[] }): Promise<void> {
    this.#assertOpen();
    const topics = [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
      topic,
      partitions: offsets.filter((o) => o.topic === topic).map(({ partition, offset }) => ({ partition, offset })),
    }));
    await translated(`send offsets in transaction of ${this.#transactionalId}`, () =>
      this.#transaction.sendOffsets({ consumerGroupId: groupId, topics }),
    );
  }

  commit(): Promise<void> {
    return this.#end('commit', () => this.#transaction.commit());
  }

  abort(): Promise<void> {
    return this.#end('abort', () => this.#transaction.abort());
  }

  // Ended even when the call fails: kafkajs cannot resume a transaction whose commit or abort failed.
  // The way out is to close this producer and create a new one with the same transactionalId, which
  // aborts whatever the failed transaction left open.
  async #end(verb: string, call: () => Promise<void>): Promise<void> {
    this.#assertOpen();
    this.#ended = true;
    await translated(`${verb} transaction of ${this.#transactionalId}`, call);
  }

  #assertOpen(): void {
    if (this.#ended) throw new LogError(LogErrorCode.InvalidState, `Transaction of ${this.#transactionalId} has already ended`);
  }
}

/**
 * The broker refuses a record batch over its topic's `max.message.bytes` (1 MiB by default), and
 * kafkajs puts all of a request's records for one partition into one batch. So large sends go out in
 * consecutive requests, each holding at most one batch's worth per topic (counted for the topic as a
 * whole, since the partition of a keyed record is picked later), and at most this many bytes in all.
 * Awaiting each request keeps the records' order.
 */
const MAX_REQUEST_BYTES = 512 * 1024;

/** A topic's `max.message.bytes`; DEFAULT_MAX_MESSAGE_BYTES where it cannot be read. */
export type TopicLimit = (topic: string) => Promise<number>;

export function chunkBySize(records: readonly OutgoingRecord[], limitOf: (topic: string) => number, maxRequestBytes = MAX_REQUEST_BYTES): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = [];
  let chunk: OutgoingRecord[] = [];
  let requestBytes = 0;
  const topicBytes = new Map<string, number>();
  for (const record of records) {
    const size = recordBytes(record);
    const inTopic = topicBytes.get(record.topic) ?? BATCH_HEADER_BYTES;
    if (chunk.length > 0 && (requestBytes + size > maxRequestBytes || inTopic + size > limitOf(record.topic))) {
      chunks.push(chunk);
      chunk = [];
      requestBytes = 0;
      topicBytes.clear();
    }
    chunk.push(record);
    requestBytes += size;
    topicBytes.set(record.topic, (topicBytes.get(record.topic) ?? BATCH_HEADER_BYTES) + size);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

async function sendAll(target: Pick<Producer, 'sendBatch'>, records: readonly OutgoingRecord[], doing: string, limitOf: TopicLimit): Promise<void> {
  const topics = [...new Set(records.map((record) => record.topic))];
  const limits = new Map(await Promise.all(topics.map(async (topic) => [topic, await limitOf(topic)] as const)));
  for (const chunk of chunkBySize(records, (topic) => limits.get(topic)!)) {
    await translated(doing, () => target.sendBatch({ topicMessages: toTopicMessages(chunk) }));
  }
}
