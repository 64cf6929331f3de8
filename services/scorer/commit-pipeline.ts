// Commits a task's work in Kafka transactions without holding up consumption (group commit). Each
// transaction costs several round trips to the broker (AddPartitionsToTxn, Produce, AddOffsetsToTxn,
// TxnOffsetCommit, EndTxn), and kafkajs fetches again only once every batch of the previous fetch has
// been handled: a batch that waited for its own commit held back every input partition, and the
// three inputs of a task queued three commits one after the other. Instead, a batch is staged and
// its handler returns; one transaction at a time is on its way, and the next one takes everything
// staged meanwhile, whatever topics it came from.
//
// Exactly once: a transaction carries the outputs of the work it takes, the offsets that work
// consumed and the state it changed (the snapshot, taken in the same synchronous step as the work
// itself), so the changelog, the outputs and the offsets agree whatever the outcome. A failed
// transaction fails the pipeline: the task's in-memory state is ahead of the log, so its owner must
// rebuild it from the changelog and consume again from the committed offsets.
import type { OutgoingRecord, TopicPartitionOffset, TransactionalProducer } from '../shared/stream';

export interface CommitSource<Work> {
  /**
   * The state changes of everything staged so far (the changelog), called synchronously when a
   * transaction takes the staged work, so that no later work is in it.
   */
  snapshot(): OutgoingRecord[];
  /** The output records of the work (encoding may wait on the schema registry). */
  encode(work: readonly Work[]): Promise<OutgoingRecord[]>;
  /** The work is committed, by a transaction that took `seconds` from taking it to its commit. */
  committed(work: readonly Work[], seconds: number): void;
}

export interface CommitPipelineOptions<Work> {
  readonly producer: TransactionalProducer;
  readonly groupId: string;
  readonly partition: number;
  readonly source: CommitSource<Work>;
  /** Input records staged beyond which `ready()` waits for a transaction to take them: bounds memory in a backlog. */
  readonly maxStagedRecords: number;
  /** A transaction failed; the pipeline accepts nothing more. */
  readonly onFailure: (error: Error) => void;
}

export class CommitPipeline<Work> {
  readonly #options: CommitPipelineOptions<Work>;
  #staged: Work[] = [];
  #stagedRecords = 0;
  /** Next offset to consume per input topic, as of the staged work. */
  #offsets = new Map<string, string>();
  #dirty = false;
  #running: Promise<void> | null = null;
  #failure: Error | null = null;
  #roomWaiters: Array<() => void> = [];

  constructor(options: CommitPipelineOptions<Work>) {
    this.#options = options;
  }

  /**
   * Adds work for the next transaction: `records` input records consumed up to `consumed` (the next
   * offset to read), or null for work without input (idleness releasing records).
   */
  stage(work: Work, records: number, consumed: { readonly topic: string; readonly offset: string } | null): void {
    if (this.#failure) throw this.#failure;
    this.#staged.push(work);
    this.#stagedRecords += records;
    if (consumed) this.#offsets.set(consumed.topic, consumed.offset);
    this.#dirty = true;
    this.#running ??= this.#run();
  }

  /** Resolves once there is room for more work (or the pipeline failed: `stage` then throws). */
  ready(): Promise<void> {
    if (this.#failure || this.#stagedRecords < this.#options.maxStagedRecords) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Resolves once everything staged so far is committed; rejects if a transaction failed. */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#failure) throw this.#failure;
  }

  async #run(): Promise<void> {
    // The other batches of the same fetch are handled in this turn of the event loop: they join.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#dirty) await this.#commitStaged();
    } catch (err) {
      this.#failure = err instanceof Error ? err : new Error(String(err));
      this.#options.onFailure(this.#failure);
    } finally {
      this.#running = null;
      this.#wakeWaiters();
    }
  }

  async #commitStaged(): Promise<void> {
    const { producer, groupId, partition, source } = this.#options;
    const started = performance.now();
    const work = this.#staged;
    const offsets = [...this.#offsets].map(([topic, offset]) => ({ topic, partition, offset }) satisfies TopicPartitionOffset);
    const changelog = source.snapshot();
    this.#staged = [];
    this.#stagedRecords = 0;
    this.#offsets = new Map();
    this.#dirty = false;
    this.#wakeWaiters();
    const records = [...(await source.encode(work)), ...changelog];
    const tx = await producer.beginTransaction();
    try {
      await tx.send(records);
      if (offsets.length > 0) await tx.sendOffsets({ groupId, offsets });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      throw err;
    }
    source.committed(work, (performance.now() - started) / 1000);
  }

  #wakeWaiters(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
