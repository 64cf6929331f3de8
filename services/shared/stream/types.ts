// The record log as the services see it. Two implementations keep this contract: the Kafka adapter
// (distributed mode) and the in-memory log (embedded mode); `contract.ts` is the shared test suite.
// Offsets are decimal strings because Kafka offsets are int64 and exceed Number.MAX_SAFE_INTEGER.

export type RecordHeaders = Readonly<Record<string, Buffer>>;

/** A record as read back from the log. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Epoch milliseconds: the producer's timestamp (event time for Peregrine's own records). */
  readonly timestamp: number;
  readonly headers: RecordHeaders;
}

/** A record to append. Without `partition`, a key picks the partition as kafkajs's default partitioner does. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key?: Buffer | null;
  readonly value: Buffer | null;
  /** Forces the partition, e.g. a changelog record goes to the partition of the task that owns it. */
  readonly partition?: number;
  /** Epoch milliseconds; defaults to the time of sending, so set it wherever output must be deterministic. */
  readonly timestamp?: number;
  readonly headers?: RecordHeaders;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A position in a partition: the offset of the next record to read, as Kafka commits it. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: string;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** Keep only the newest record per key (profiles, changelogs). */
  readonly compacted?: boolean;
  /**
   * The log stamps each record with the time it is appended, whatever the producer set. Outputs
   * carry event time in their values; stamped with it, a replay of last month's records would fall
   * to time-based retention as soon as its segment rolled, and never be read.
   */
  readonly appendTime?: boolean;
  /** Inputs stamped with event time that may replay history: kept forever, any stamp accepted. */
  readonly history?: boolean;
  /** The topic's `max.message.bytes`, when not the default (DEFAULT_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes?: number;
  /** Overrides the log's retention for this topic (Kafka's topic-level retention.ms and retention.bytes). */
  readonly retention?: Partial<Retention>;
}

/**
 * How long a topic keeps records, as Kafka's retention.ms and retention.bytes (the latter per
 * partition); Infinity keeps them. A compacted topic keeps the newest record per key instead, and
 * its tombstones for `ms`.
 */
export interface Retention {
  readonly ms: number;
  readonly bytes: number;
}

export interface LogAdmin {
  /** Creates the topics that are missing; an existing topic is left as it is. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Rejects with code UNKNOWN_TOPIC when the topic does not exist. */
  partitionCount(topic: string): Promise<number>;
  /**
   * The read-committed end of every partition, ordered by partition: the offset a reader reaches once it
   * has seen every committed record. An open transaction holds it back (Kafka's last stable offset).
   */
  endOffsets(topic: string): Promise<TopicPartitionOffset[]>;
  /** The group's committed position in every partition of the topic, ordered by partition; null where it has none. */
  committedOffsets(groupId: string, topic: string): Promise<Array<TopicPartition & { offset: string | null }>>;
  /**
   * The largest record batch the topic accepts (Kafka's `max.message.bytes`): a record whose
   * `batchBytes` exceeds it is refused with RECORD_TOO_LARGE, and so is the send that carries it.
   */
  maxMessageBytes(topic: string): Promise<number>;
}

export interface LogProducer {
  /** Appends in order per partition; resolves once every record is durable in the log. */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A producer with a stable transactionalId. Creating one fences every earlier producer with the same id:
 * their open transaction is aborted and their later calls reject with code FENCED (zombie fencing).
 */
export interface TransactionalProducer {
  readonly transactionalId: string;
  /** One transaction at a time per producer; rejects with INVALID_STATE while another is open. */
  beginTransaction(): Promise<LogTransaction>;
  close(): Promise<void>;
}

/**
 * Records and consumer offsets that become visible together on commit, or not at all. Kafka completes
 * a commit (writes its markers) shortly after `commit()` resolves, so readers see it eventually; a new
 * producer with the same transactionalId, once created, is guaranteed to see it complete.
 */
export interface LogTransaction {
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /** Commits the group's offsets (next offset to read) as part of this transaction. */
  sendOffsets(request: { readonly groupId: string; readonly offsets: readonly TopicPartitionOffset[] }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** One fetch worth of records from a single partition, in offset order, never empty. */
/** How far a consumer has read a partition, and where the partition ended when it read it. */
export interface ReadProgress {
  readonly topic: string;
  readonly partition: number;
  /**
   * The offset after the last one the read covered, transaction markers and aborted records
   * included: once it reaches `highWatermark`, the consumer has read everything there was.
   */
  readonly nextOffset: string;
  /** The partition's end offset when it was read. */
  readonly highWatermark: string;
}

export interface PartitionBatch extends ReadProgress {
  readonly records: readonly LogRecord[];
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts: the earliest record (default) or the end. */
  readonly fromBeginning?: boolean;
  /**
   * How many partitions' batches may be in the handler at once (default 1). A partition's own batches
   * still come one at a time, in order. For handlers that wait on I/O per batch, such as a commit.
   */
  readonly concurrentPartitions?: number;
}

export interface ConsumerHandlers {
  /**
   * Awaited before the first batch of any newly assigned partition, so a task can restore its state
   * first. Must not take longer than the group's session timeout on Kafka (30 s by default).
   */
  onAssigned?(partitions: TopicPartition[]): Promise<void> | void;
  /** Partitions this member no longer owns; also called with the whole assignment on `stop()`. */
  onRevoked?(partitions: TopicPartition[]): Promise<void> | void;
  /**
   * Batches of one partition arrive in order, one at a time. Nothing is committed implicitly: commit
   * through `commitOffsets` or a transaction's `sendOffsets`. If the handler throws, the consumer stops
   * and passes the error to `onCrash`; a restart resumes from the committed offsets.
   */
  eachBatch(batch: PartitionBatch): Promise<void>;
  /**
   * A read of a partition that held no records for `eachBatch` (only transaction markers or aborted
   * records) moved the consumer on: without it, a reader could not tell that it has reached the end.
   */
  onProgress?(progress: ReadProgress): void;
  /** The consumer stopped on an error it cannot recover from. */
  onCrash?(error: Error): void;
}

/** A member of a consumer group that reads committed records only. */
export interface GroupConsumer {
  /** Joins the group and starts delivering; resolves once the member has joined. */
  run(handlers: ConsumerHandlers): Promise<void>;
  commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The next batch of that partition starts at `offset`, also when called from within `eachBatch`. */
  seek(position: TopicPartitionOffset): void;
  /** No further batches of these partitions until `resume`. Only between `run()` and `stop()`. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /**
   * Waits for the batch in progress, leaves the group and reports the assignment as revoked. Never
   * from within a handler: it would wait for itself. Also cleans up after a crash.
   */
  stop(): Promise<void>;
}

export interface RecordLog {
  readonly admin: LogAdmin;
  producer(): Promise<LogProducer>;
  /** Resolves once the producer is initialised, that is once every older producer with this id is fenced. */
  transactionalProducer(transactionalId: string): Promise<TransactionalProducer>;
  consumer(options: ConsumerOptions): GroupConsumer;
  /**
   * Reads one partition's committed records from `from.offset` up to the end offset at the time of the
   * call (restoring a changelog), in bounded batches. Resolves with the offset it stopped at.
   */
  readToEnd(from: TopicPartitionOffset, onRecords: (records: readonly LogRecord[]) => Promise<void> | void): Promise<string>;
  close(): Promise<void>;
}
